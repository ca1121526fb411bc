from django.urls import path

from .views import admin as admin_views

app_name = "accounts_admin"
urlpatterns = [
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_new, name="user_new"),
    path("users/<int:pk>/", admin_views.user_detail, name="user_detail"),
    path("users/<int:pk>/grant/", admin_views.grant_role, name="grant_role"),
    path("users/<int:pk>/grants/<int:grant_pk>/revoke/", admin_views.revoke_role, name="revoke_role"),
    path("users/<int:pk>/disable/", admin_views.disable_user, name="disable_user"),
    path("users/<int:pk>/enable/", admin_views.enable_user, name="enable_user"),
    path("users/<int:pk>/reset-mfa/", admin_views.reset_mfa, name="reset_mfa"),
]
