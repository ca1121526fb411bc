"""Resident portal pages of proposals (/my/proposals/)."""

from django.urls import path  # noqa: F401

app_name = "proposals_portal"

urlpatterns: list = []
