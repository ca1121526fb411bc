"""REST API of volunteering (/api/v1/volunteering/); route names are in the "api" namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
