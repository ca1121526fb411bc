"""Staff console of points (/points/)."""

from django.urls import path

from . import config_views, reward_views, views

app_name = "points"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/export.xlsx", views.account_export, name="account_export"),
    path("accounts/<int:pk>/adjust/", views.account_adjust, name="account_adjust"),
    path("transactions/<int:pk>/reverse/", views.transaction_reverse, name="transaction_reverse"),
    path("leaderboard/", views.leaderboard, name="leaderboard"),
    path("leaderboard/export.xlsx", views.leaderboard_export, name="leaderboard_export"),
    path("rewards/", reward_views.reward_list, name="reward_list"),
    path("rewards/new/", reward_views.reward_new, name="reward_new"),
    path("rewards/<int:pk>/edit/", reward_views.reward_edit, name="reward_edit"),
    path("redemptions/", reward_views.redemption_list, name="redemption_list"),
    path("redemptions/<int:pk>/fulfil/", reward_views.redemption_fulfil, name="redemption_fulfil"),
    path("redemptions/<int:pk>/cancel/", reward_views.redemption_cancel, name="redemption_cancel"),
    path("rules/", config_views.rule_list, name="rule_list"),
    path("rules/new/", config_views.rule_new, name="rule_new"),
    path("rules/<int:pk>/edit/", config_views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/toggle/", config_views.rule_toggle, name="rule_toggle"),
    path("policy/", config_views.policy_list, name="policy_list"),
    path("policy/<int:pk>/", config_views.policy_edit, name="policy_edit"),
]
