"""REST API of governance (/api/v1/governance/), in the ``api`` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("items/", api.ItemListView.as_view(), name="governance-item-list"),
    path("items/<int:pk>/", api.ItemDetailView.as_view(), name="governance-item-detail"),
    path("items/<int:pk>/photos/<int:photo_pk>/", api.ItemPhotoView.as_view(), name="governance-item-photo"),
    *[
        path(f"items/<int:pk>/{slug}/", view.as_view(), name=f"governance-item-{slug}")
        for slug, view in api.ACTION_VIEWS.items()
    ],
    path("figures/", api.FiguresView.as_view(), name="governance-figures"),
]
