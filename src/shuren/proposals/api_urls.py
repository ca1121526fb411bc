"""REST API of proposals (/api/v1/proposals/), in the ``api`` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.ProposalListView.as_view(), name="proposal-list"),
    path("places/", api.PlacesView.as_view(), name="proposal-places"),
    path("<int:pk>/", api.ProposalDetailView.as_view(), name="proposal-detail"),
    path("<int:pk>/sign/", api.SignView.as_view(), name="proposal-sign"),
    path("<int:pk>/withdraw/", api.WithdrawView.as_view(), name="proposal-withdraw"),
    path("<int:pk>/answer/", api.AnswerView.as_view(), name="proposal-answer"),
    path("<int:pk>/publish/", api.PublishView.as_view(), name="proposal-publish"),
    path("<int:pk>/inadmissible/", api.InadmissibleView.as_view(), name="proposal-inadmissible"),
]
