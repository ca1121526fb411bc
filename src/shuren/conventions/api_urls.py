"""REST API of conventions (/api/v1/conventions/), in the ``api`` namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("", reads.ConventionListView.as_view(), name="convention-list"),
    path("<int:pk>/", reads.ConventionDetailView.as_view(), name="convention-detail"),
    path("versions/<int:pk>/comments/", actions.CommentView.as_view(), name="convention-comment"),
]
