"""REST API of ballots (/api/v1/ballots/), in the ``api`` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.BallotListView.as_view(), name="ballots-ballot-list"),
    path("rules/", api.RuleListView.as_view(), name="ballots-rule-list"),
    path("<int:pk>/", api.BallotDetailView.as_view(), name="ballots-ballot-detail"),
    path("<int:pk>/matters/", api.MatterListView.as_view(), name="ballots-matter-list"),
    path("<int:pk>/open/", api.BallotOpenView.as_view(), name="ballots-ballot-open"),
    path("<int:pk>/close/", api.BallotCloseView.as_view(), name="ballots-ballot-close"),
    path("<int:pk>/cancel/", api.BallotCancelView.as_view(), name="ballots-ballot-cancel"),
    path("<int:pk>/tally/", api.TallyView.as_view(), name="ballots-ballot-tally"),
    path("<int:pk>/matters/<int:matter_pk>/vote/", api.VoteView.as_view(), name="ballots-matter-vote"),
    path("<int:pk>/matters/<int:matter_pk>/paper-votes/", api.PaperVoteView.as_view(), name="ballots-paper-vote"),
]
