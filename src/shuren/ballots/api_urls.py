"""REST API of ballots (/api/v1/ballots/), in the ``api`` namespace."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
