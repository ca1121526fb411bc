"""Resident portal pages of conventions (/my/conventions/)."""

from django.urls import path  # noqa: F401

app_name = "conventions_portal"

urlpatterns: list = []
