"""Resident portal of points (/my/points/)."""

from django.urls import path  # noqa: F401

app_name = "points_portal"

urlpatterns: list = []
