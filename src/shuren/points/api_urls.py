"""REST API of points (/api/v1/points/); route names are in the "api" namespace."""

from django.urls import path

from .api import actions, reads

urlpatterns = [
    path("me/", reads.MyAccountView.as_view(), name="points-me"),
    path("me/statement/", reads.MyStatementView.as_view(), name="points-my-statement"),
    path("accounts/", reads.AccountListView.as_view(), name="points-account-list"),
    path("accounts/<int:pk>/statement/", reads.AccountStatementView.as_view(), name="points-account-statement"),
    path("accounts/<int:pk>/adjustments/", actions.AdjustmentView.as_view(), name="points-account-adjust"),
    path("transactions/<int:pk>/reversal/", actions.ReversalView.as_view(), name="points-transaction-reverse"),
    path("rules/", reads.RuleListView.as_view(), name="points-rule-list"),
    path("rules/in-force/", reads.RulesInForceView.as_view(), name="points-rules-in-force"),
    path("rules/<int:pk>/", reads.RuleDetailView.as_view(), name="points-rule-detail"),
    path("rewards/", reads.RewardListView.as_view(), name="points-reward-list"),
    path("rewards/<int:pk>/", reads.RewardDetailView.as_view(), name="points-reward-detail"),
    path("rewards/<int:pk>/redeem/", actions.RedeemView.as_view(), name="points-reward-redeem"),
    path("redemptions/", reads.RedemptionListView.as_view(), name="points-redemption-list"),
    path("redemptions/<int:pk>/fulfil/", actions.FulfilView.as_view(), name="points-redemption-fulfil"),
    path("redemptions/<int:pk>/cancel/", actions.CancelView.as_view(), name="points-redemption-cancel"),
    path("leaderboard/", reads.LeaderboardView.as_view(), name="points-leaderboard"),
]
