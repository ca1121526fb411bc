"""The public serviceable lists (/public/services/<community>/)."""

from django.urls import path

from .views import public as views

app_name = "lists_public"

urlpatterns = [
    path("<int:pk>/", views.serviceable_list, name="serviceable"),
]
