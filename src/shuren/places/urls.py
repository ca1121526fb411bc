from django.urls import path

from . import estate_views, option_views, views

app_name = "places"
urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
    path("areas/export/", views.area_export, name="area_export"),
    path("areas/<int:pk>/", views.area_detail, name="area_detail"),
    path("areas/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("estates/", estate_views.estate_list, name="estate_list"),
    path("estates/new/", estate_views.estate_new, name="estate_new"),
    path("estates/export/", estate_views.estate_export, name="estate_export"),
    path("estates/<int:pk>/", estate_views.estate_detail, name="estate_detail"),
    path("estates/<int:pk>/edit/", estate_views.estate_edit, name="estate_edit"),
    path("estates/<int:pk>/buildings/new/", estate_views.building_new, name="building_new"),
    path("buildings/<int:pk>/", estate_views.building_detail, name="building_detail"),
    path("buildings/<int:pk>/edit/", estate_views.building_edit, name="building_edit"),
    path("buildings/<int:pk>/grid/", estate_views.building_move, name="building_move"),
    path("dwellings/<int:pk>/edit/", estate_views.dwelling_edit, name="dwelling_edit"),
    path("dwellings/import/", estate_views.dwelling_import, name="dwelling_import"),
    path("options/", option_views.place_options, name="place_options"),
    path("dwellings/import/template.xlsx", estate_views.dwelling_template, name="dwelling_template"),
]
