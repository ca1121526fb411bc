"""Resident portal pages of ballots (/my/ballots/)."""

from django.urls import path

from .views import portal

app_name = "ballots_portal"

urlpatterns = [
    path("", portal.my_ballots, name="my_ballots"),
    path("<int:pk>/", portal.my_ballot, name="ballot"),
    path("<int:pk>/matters/<int:matter_pk>/vote/", portal.vote, name="vote"),
]
