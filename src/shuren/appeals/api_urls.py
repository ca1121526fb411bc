"""REST API for appeals (/api/v1/appeals/), in the ``api`` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("", api.AppealListView.as_view(), name="appeal-list"),
    path("categories/", api.CategoryListView.as_view(), name="appeal-categories"),
    path("kpis/", api.KpiView.as_view(), name="appeal-kpis"),
    path("notifications/", api.NotificationListView.as_view(), name="appeal-notifications"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="appeal-notification-read"),
    path("<int:pk>/", api.AppealDetailView.as_view(), name="appeal-detail"),
    path("<int:pk>/events/", api.AppealEventsView.as_view(), name="appeal-events"),
    path("<int:pk>/photos/", api.AppealPhotosView.as_view(), name="appeal-photos"),
    path("<int:pk>/photos/<int:photo_pk>/", api.AppealPhotoView.as_view(), name="appeal-photo"),
    *[path(f"<int:pk>/{slug}/", view.as_view(), name=f"appeal-{slug}") for slug, view in api.ACTION_VIEWS.items()],
]
