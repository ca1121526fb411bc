from django.urls import path

from . import admin_views

app_name = "accounts_admin"
urlpatterns = [path("users/", admin_views.user_list, name="user_list")]
