"""REST API of governance (/api/v1/governance/), in the ``api`` namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("items/", reads.ItemListView.as_view(), name="governance-item-list"),
    path("items/<int:pk>/", reads.ItemDetailView.as_view(), name="governance-item-detail"),
    path("items/<int:pk>/photos/<int:photo_pk>/", reads.ItemPhotoView.as_view(), name="governance-item-photo"),
    *[
        path(f"items/<int:pk>/{slug}/", view.as_view(), name=f"governance-item-{slug}")
        for slug, view in actions.ACTION_VIEWS.items()
    ],
    path("figures/", reads.FiguresView.as_view(), name="governance-figures"),
]
