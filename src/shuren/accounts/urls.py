from django.urls import path

from .views import account as views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("security/sign-out-everywhere/", views.sign_out_everywhere_view, name="sign_out_everywhere"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("reauth/", views.reauth, name="reauth"),
    path("password/", views.password_change, name="password_change"),
    path("security/", views.security, name="security"),
    path("security/tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]
