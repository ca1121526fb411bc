"""Staff console of points (/points/)."""

from django.urls import path  # noqa: F401

app_name = "points"

urlpatterns: list = []
