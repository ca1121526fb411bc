"""REST API of points (/api/v1/points/); route names are in the "api" namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("me/", api.MyAccountView.as_view(), name="points-me"),
    path("me/statement/", api.MyStatementView.as_view(), name="points-my-statement"),
    path("accounts/", api.AccountListView.as_view(), name="points-account-list"),
    path("accounts/<int:pk>/statement/", api.AccountStatementView.as_view(), name="points-account-statement"),
    path("accounts/<int:pk>/adjustments/", api.AdjustmentView.as_view(), name="points-account-adjust"),
    path("transactions/<int:pk>/reversal/", api.ReversalView.as_view(), name="points-transaction-reverse"),
    path("rules/", api.RuleListView.as_view(), name="points-rule-list"),
    path("rules/in-force/", api.RulesInForceView.as_view(), name="points-rules-in-force"),
    path("rules/<int:pk>/", api.RuleDetailView.as_view(), name="points-rule-detail"),
    path("rewards/", api.RewardListView.as_view(), name="points-reward-list"),
    path("rewards/<int:pk>/", api.RewardDetailView.as_view(), name="points-reward-detail"),
    path("rewards/<int:pk>/redeem/", api.RedeemView.as_view(), name="points-reward-redeem"),
    path("redemptions/", api.RedemptionListView.as_view(), name="points-redemption-list"),
    path("redemptions/<int:pk>/fulfil/", api.FulfilView.as_view(), name="points-redemption-fulfil"),
    path("redemptions/<int:pk>/cancel/", api.CancelView.as_view(), name="points-redemption-cancel"),
    path("leaderboard/", api.LeaderboardView.as_view(), name="points-leaderboard"),
]
