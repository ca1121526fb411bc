"""REST API of governance (/api/v1/governance/), in the ``api`` namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
