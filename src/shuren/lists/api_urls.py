"""REST API of the lists (/api/v1/lists/), in the ``api`` namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("needs/", reads.NeedListView.as_view(), name="lists-need-list"),
    path("needs/from-appeal/", actions.NeedFromAppealView.as_view(), name="lists-need-from-appeal"),
    path("needs/<int:pk>/", reads.NeedDetailView.as_view(), name="lists-need-detail"),
    path("needs/<int:pk>/suggestions/", reads.NeedSuggestionsView.as_view(), name="lists-need-suggestions"),
    path("needs/<int:pk>/propose/", actions.NeedProposeView.as_view(), name="lists-need-propose"),
    path("needs/<int:pk>/close/", actions.NeedCloseView.as_view(), name="lists-need-close"),
    path("resources/", reads.ResourceListView.as_view(), name="lists-resource-list"),
    path("resources/<int:pk>/", reads.ResourceDetailView.as_view(), name="lists-resource-detail"),
    *[
        path(f"matches/<int:pk>/{slug}/", view.as_view(), name=f"lists-match-{slug}")
        for slug, view in actions.ACTION_VIEWS.items()
    ],
]
