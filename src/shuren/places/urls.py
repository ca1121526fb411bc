from django.urls import path

from . import views

app_name = "places"
urlpatterns = [
    path("areas/", views.area_list, name="area_list"),
]
