"""REST API for appeals (/api/v1/appeals/): ``reads`` (lists, one appeal, KPIs, notifications),
``actions`` (the workflow), ``base`` (what they share). ``serializers`` (all of them)."""

from shuren.api.pagination import CappedCountPaginator

from .actions import ACTION_VIEWS
from .reads import (
    AppealDetailView,
    AppealEventsView,
    AppealListView,
    AppealPhotosView,
    AppealPhotoView,
    CategoryListView,
    KpiView,
    NotificationListView,
    NotificationReadView,
)

__all__ = [
    "ACTION_VIEWS",
    "AppealDetailView",
    "AppealEventsView",
    "AppealListView",
    "AppealPhotoView",
    "AppealPhotosView",
    "CappedCountPaginator",
    "CategoryListView",
    "KpiView",
    "NotificationListView",
    "NotificationReadView",
]
