"""Resident portal of points (/my/points/)."""

from django.urls import path

from . import portal_views as views

app_name = "points_portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("statement/", views.statement, name="statement"),
    path("statement/export.xlsx", views.statement_export, name="statement_export"),
    path("rewards/", views.catalogue, name="catalogue"),
    path("rewards/<int:pk>/", views.redeem, name="redeem"),
    path("redemptions/", views.my_redemptions, name="redemptions"),
    path("redemptions/<int:pk>/", views.redemption_detail, name="redemption"),
    path("redemptions/<int:pk>/cancel/", views.redemption_cancel, name="redemption_cancel"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
]
