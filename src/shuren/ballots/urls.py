"""Staff console of ballots (/ballots/)."""

from django.urls import path

from . import views

app_name = "ballots"

urlpatterns = [
    path("", views.ballot_list, name="ballot_list"),
    path("new/", views.ballot_edit, name="ballot_new"),
    path("<int:pk>/", views.ballot_detail, name="ballot_detail"),
    path("<int:pk>/edit/", views.ballot_edit, name="ballot_edit"),
    path("<int:pk>/matters/new/", views.matter_edit, name="matter_new"),
    path("<int:pk>/matters/<int:matter_pk>/edit/", views.matter_edit, name="matter_edit"),
    path("<int:pk>/matters/<int:matter_pk>/remove/", views.matter_remove, name="matter_remove"),
    path("<int:pk>/open/", views.ballot_open, name="ballot_open"),
    path("<int:pk>/close/", views.ballot_close, name="ballot_close"),
    path("<int:pk>/cancel/", views.ballot_cancel, name="ballot_cancel"),
    path("<int:pk>/paper/", views.paper_entry, name="paper_entry"),
    path("<int:pk>/sheet/", views.tally_sheet, name="tally_sheet"),
    path("<int:pk>/sheet.xlsx", views.tally_export, name="tally_export"),
    path("rules/", views.rule_list, name="rule_list"),
    path("rules/new/", views.rule_edit, name="rule_new"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
