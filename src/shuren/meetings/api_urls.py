"""REST API of meetings (/api/v1/meetings/), in the ``api`` namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
