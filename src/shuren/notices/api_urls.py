"""REST API of the notices (/api/v1/notices/), in the ``api`` namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("", reads.NoticeListView.as_view(), name="notices-list"),
    path("<int:pk>/", reads.NoticeDetailView.as_view(), name="notices-detail"),
    path("<int:pk>/figures/", reads.NoticeFiguresView.as_view(), name="notices-figures"),
    *[path(f"<int:pk>/{slug}/", view.as_view(), name=f"notices-{slug}") for slug, view in actions.ACTION_VIEWS.items()],
    path("households/<int:pk>/told/", actions.HouseholdTellView.as_view(), name="notices-household-told"),
]
