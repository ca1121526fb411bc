"""Resident portal pages of governance (/my/governance/)."""

from django.urls import path

from .views import portal as views

app_name = "governance_portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("claims/", views.my_claims, name="my_claims"),
    path("wishes/", views.my_wishes, name="my_wishes"),
    path("wishes/new/", views.make_wish, name="make_wish"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.item_action, name="action"),
    path("<int:pk>/photos/<int:photo_pk>/", views.item_photo, name="photo"),
]
