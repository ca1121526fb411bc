"""Resident portal of points (/my/points/)."""

from django.urls import path

from .views import portal

app_name = "points_portal"

urlpatterns = [
    path("", portal.home, name="home"),
    path("statement/", portal.statement, name="statement"),
    path("statement/export.xlsx", portal.statement_export, name="statement_export"),
    path("rewards/", portal.catalogue, name="catalogue"),
    path("rewards/<int:pk>/", portal.redeem, name="redeem"),
    path("redemptions/", portal.my_redemptions, name="redemptions"),
    path("redemptions/<int:pk>/", portal.redemption_detail, name="redemption"),
    path("redemptions/<int:pk>/cancel/", portal.redemption_cancel, name="redemption_cancel"),
    path("leaderboard/", portal.leaderboard, name="leaderboard"),
]
