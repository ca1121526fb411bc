"""Resident portal pages of ballots (/my/ballots/)."""

from django.urls import path

from . import portal_views

app_name = "ballots_portal"

urlpatterns = [
    path("", portal_views.my_ballots, name="my_ballots"),
    path("<int:pk>/", portal_views.my_ballot, name="ballot"),
    path("<int:pk>/matters/<int:matter_pk>/vote/", portal_views.vote, name="vote"),
]
