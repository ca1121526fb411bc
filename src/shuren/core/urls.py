from django.urls import path

from . import views

app_name = "pii"
urlpatterns = [path("reveal/", views.reveal_field, name="reveal")]
