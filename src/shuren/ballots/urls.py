"""Staff console of ballots (/ballots/)."""

from django.urls import path  # noqa: F401

app_name = "ballots"

urlpatterns: list = []
