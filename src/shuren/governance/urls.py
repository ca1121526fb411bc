"""Staff console of governance (/governance/)."""

from django.urls import path

from .views import config, console, lists

app_name = "governance"

urlpatterns = [
    path("", console.item_list, name="item_list"),
    path("export.xlsx", console.item_export, name="item_export"),
    path("new/", console.item_new, name="item_new"),
    path("<int:pk>/", console.item_detail, name="item_detail"),
    path("<int:pk>/edit/", console.item_edit, name="item_edit"),
    path("<int:pk>/act/<slug:action>/", console.item_action, name="item_action"),
    path("<int:pk>/photos/<int:photo_pk>/", console.item_photo, name="item_photo"),
    path("lists/", lists.list_index, name="list_index"),
    path("lists/new/", lists.list_edit, name="list_new"),
    path("lists/<int:pk>/", lists.list_detail, name="list_detail"),
    path("lists/<int:pk>/edit/", lists.list_edit, name="list_edit"),
    path("wishes/", lists.wish_review, name="wish_review"),
    path("figures/", lists.figures_page, name="figures"),
    path("policy/", config.policy_list, name="policy_list"),
    path("policy/<int:pk>/", config.policy_edit, name="policy_edit"),
]
