"""REST API of the outbox (/api/v1/notifications/), in the ``api`` namespace."""

from django.urls import path

from .api import actions

urlpatterns = [
    path("wechat/link/", actions.WeChatLinkView.as_view(), name="notifications-wechat-link"),
]
