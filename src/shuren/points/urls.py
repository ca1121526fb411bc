"""Staff console of points (/points/)."""

from django.urls import path

from .views import config, console, rewards

app_name = "points"

urlpatterns = [
    path("", console.overview, name="overview"),
    path("accounts/", console.account_list, name="account_list"),
    path("accounts/<int:pk>/", console.account_detail, name="account_detail"),
    path("accounts/<int:pk>/export.xlsx", console.account_export, name="account_export"),
    path("accounts/<int:pk>/adjust/", console.account_adjust, name="account_adjust"),
    path("transactions/<int:pk>/reverse/", console.transaction_reverse, name="transaction_reverse"),
    path("leaderboard/", console.leaderboard, name="leaderboard"),
    path("leaderboard/export.xlsx", console.leaderboard_export, name="leaderboard_export"),
    path("rewards/", rewards.reward_list, name="reward_list"),
    path("rewards/new/", rewards.reward_new, name="reward_new"),
    path("rewards/<int:pk>/edit/", rewards.reward_edit, name="reward_edit"),
    path("redemptions/", rewards.redemption_list, name="redemption_list"),
    path("redemptions/<int:pk>/fulfil/", rewards.redemption_fulfil, name="redemption_fulfil"),
    path("redemptions/<int:pk>/cancel/", rewards.redemption_cancel, name="redemption_cancel"),
    path("rules/", config.rule_list, name="rule_list"),
    path("rules/new/", config.rule_new, name="rule_new"),
    path("rules/<int:pk>/edit/", config.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/toggle/", config.rule_toggle, name="rule_toggle"),
    path("policy/", config.policy_list, name="policy_list"),
    path("policy/<int:pk>/", config.policy_edit, name="policy_edit"),
]
