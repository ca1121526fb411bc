"""The outbox's pages (/notifications/): the inbox and preferences of every signed-in user, and
the administrator's delivery page."""

from django.urls import path

from .views import inbox, staff

app_name = "notifications"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("read/", inbox.read, name="read"),
    path("open/", inbox.open_message, name="open"),
    path("preferences/", inbox.preferences, name="preferences"),
    path("stop/", inbox.stop, name="stop"),
    path("preferences/wechat/unlink/", inbox.wechat_unlink, name="wechat_unlink"),
    path("delivery/", staff.delivery, name="delivery"),
    path("delivery/retry/", staff.retry, name="retry"),
    path("delivery/sms-budgets/", staff.budgets, name="budgets"),
    path("sms-spend/", staff.spend, name="spend"),
]
