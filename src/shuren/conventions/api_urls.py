"""REST API of conventions (/api/v1/conventions/), in the ``api`` namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
