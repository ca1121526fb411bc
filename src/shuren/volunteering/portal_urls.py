"""Resident portal of volunteering (/my/volunteering/)."""

from django.urls import path  # noqa: F401

app_name = "volunteering_portal"

urlpatterns: list = []
