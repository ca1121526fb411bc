"""Staff console of governance (/governance/)."""

from django.urls import path

from . import config_views, list_views, views

app_name = "governance"

urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("export.xlsx", views.item_export, name="item_export"),
    path("new/", views.item_new, name="item_new"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("<int:pk>/act/<slug:action>/", views.item_action, name="item_action"),
    path("<int:pk>/photos/<int:photo_pk>/", views.item_photo, name="item_photo"),
    path("lists/", list_views.list_index, name="list_index"),
    path("lists/new/", list_views.list_edit, name="list_new"),
    path("lists/<int:pk>/", list_views.list_detail, name="list_detail"),
    path("lists/<int:pk>/edit/", list_views.list_edit, name="list_edit"),
    path("wishes/", list_views.wish_review, name="wish_review"),
    path("figures/", list_views.figures_page, name="figures"),
    path("policy/", config_views.policy_list, name="policy_list"),
    path("policy/<int:pk>/", config_views.policy_edit, name="policy_edit"),
]
