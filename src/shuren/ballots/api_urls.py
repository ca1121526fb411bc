"""REST API of ballots (/api/v1/ballots/), in the ``api`` namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("", reads.BallotListView.as_view(), name="ballots-ballot-list"),
    path("rules/", reads.RuleListView.as_view(), name="ballots-rule-list"),
    path("<int:pk>/", reads.BallotDetailView.as_view(), name="ballots-ballot-detail"),
    path("<int:pk>/matters/", reads.MatterListView.as_view(), name="ballots-matter-list"),
    path("<int:pk>/open/", actions.BallotOpenView.as_view(), name="ballots-ballot-open"),
    path("<int:pk>/close/", actions.BallotCloseView.as_view(), name="ballots-ballot-close"),
    path("<int:pk>/cancel/", actions.BallotCancelView.as_view(), name="ballots-ballot-cancel"),
    path("<int:pk>/tally/", reads.TallyView.as_view(), name="ballots-ballot-tally"),
    path("<int:pk>/matters/<int:matter_pk>/vote/", actions.VoteView.as_view(), name="ballots-matter-vote"),
    path("<int:pk>/matters/<int:matter_pk>/paper-votes/", actions.PaperVoteView.as_view(), name="ballots-paper-vote"),
]
