from django.urls import path

from .views import console, estates, options

app_name = "places"
urlpatterns = [
    path("areas/", console.area_list, name="area_list"),
    path("areas/export/", console.area_export, name="area_export"),
    path("areas/<int:pk>/", console.area_detail, name="area_detail"),
    path("areas/<int:pk>/edit/", console.area_edit, name="area_edit"),
    path("estates/", estates.estate_list, name="estate_list"),
    path("estates/new/", estates.estate_new, name="estate_new"),
    path("estates/export/", estates.estate_export, name="estate_export"),
    path("estates/<int:pk>/", estates.estate_detail, name="estate_detail"),
    path("estates/<int:pk>/edit/", estates.estate_edit, name="estate_edit"),
    path("estates/<int:pk>/buildings/new/", estates.building_new, name="building_new"),
    path("buildings/<int:pk>/", estates.building_detail, name="building_detail"),
    path("buildings/<int:pk>/edit/", estates.building_edit, name="building_edit"),
    path("buildings/<int:pk>/grid/", estates.building_move, name="building_move"),
    path("dwellings/<int:pk>/edit/", estates.dwelling_edit, name="dwelling_edit"),
    path("dwellings/import/", estates.dwelling_import, name="dwelling_import"),
    path("options/", options.place_options, name="place_options"),
    path("dwellings/import/template.xlsx", estates.dwelling_template, name="dwelling_template"),
]
