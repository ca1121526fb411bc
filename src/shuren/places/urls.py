from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/export/", views.area_export, name="area_export"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
]
