"""REST API of points (/api/v1/points/); route names are in the "api" namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
