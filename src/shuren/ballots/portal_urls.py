"""Resident portal pages of ballots (/my/ballots/)."""

from django.urls import path  # noqa: F401

app_name = "ballots_portal"

urlpatterns: list = []
