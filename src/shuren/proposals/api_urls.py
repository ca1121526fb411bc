"""REST API of proposals (/api/v1/proposals/), in the ``api`` namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("", reads.ProposalListView.as_view(), name="proposal-list"),
    path("places/", reads.PlacesView.as_view(), name="proposal-places"),
    path("<int:pk>/", reads.ProposalDetailView.as_view(), name="proposal-detail"),
    path("<int:pk>/sign/", actions.SignView.as_view(), name="proposal-sign"),
    path("<int:pk>/withdraw/", actions.WithdrawView.as_view(), name="proposal-withdraw"),
    path("<int:pk>/answer/", actions.AnswerView.as_view(), name="proposal-answer"),
    path("<int:pk>/publish/", actions.PublishView.as_view(), name="proposal-publish"),
    path("<int:pk>/inadmissible/", actions.InadmissibleView.as_view(), name="proposal-inadmissible"),
]
