from django.urls import path

from .views import pii as views

app_name = "pii"
urlpatterns = [path("reveal/", views.reveal_field, name="reveal")]
