"""Staff console of ballots (/ballots/)."""

from django.urls import path

from .views import config, console

app_name = "ballots"

urlpatterns = [
    path("", console.ballot_list, name="ballot_list"),
    path("new/", console.ballot_edit, name="ballot_new"),
    path("<int:pk>/", console.ballot_detail, name="ballot_detail"),
    path("<int:pk>/edit/", console.ballot_edit, name="ballot_edit"),
    path("<int:pk>/matters/new/", console.matter_edit, name="matter_new"),
    path("<int:pk>/matters/<int:matter_pk>/edit/", console.matter_edit, name="matter_edit"),
    path("<int:pk>/matters/<int:matter_pk>/remove/", console.matter_remove, name="matter_remove"),
    path("<int:pk>/open/", console.ballot_open, name="ballot_open"),
    path("<int:pk>/close/", console.ballot_close, name="ballot_close"),
    path("<int:pk>/cancel/", console.ballot_cancel, name="ballot_cancel"),
    path("<int:pk>/paper/", console.paper_entry, name="paper_entry"),
    path("<int:pk>/sheet/", console.tally_sheet, name="tally_sheet"),
    path("<int:pk>/sheet.xlsx", console.tally_export, name="tally_export"),
    path("rules/", config.rule_list, name="rule_list"),
    path("rules/new/", config.rule_edit, name="rule_new"),
    path("rules/<int:pk>/edit/", config.rule_edit, name="rule_edit"),
]
