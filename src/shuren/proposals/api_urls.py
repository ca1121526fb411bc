"""REST API of proposals (/api/v1/proposals/), in the ``api`` namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
