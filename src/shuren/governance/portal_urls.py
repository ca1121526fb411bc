"""Resident portal pages of governance (/my/governance/)."""

from django.urls import path  # noqa: F401

app_name = "governance_portal"

urlpatterns: list = []
