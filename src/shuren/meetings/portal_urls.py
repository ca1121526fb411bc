"""Resident portal pages of meetings (/my/meetings/)."""

from django.urls import path  # noqa: F401

app_name = "meetings_portal"

urlpatterns: list = []
