"""REST API of conventions (/api/v1/conventions/), in the ``api`` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.ConventionListView.as_view(), name="convention-list"),
    path("<int:pk>/", api.ConventionDetailView.as_view(), name="convention-detail"),
    path("versions/<int:pk>/comments/", api.CommentView.as_view(), name="convention-comment"),
]
