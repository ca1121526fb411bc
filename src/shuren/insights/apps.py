from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "shuren.insights"
    label = "insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from shuren.notifications.kinds import register

        from .messaging import KINDS

        register(*KINDS)  # the kind of message insights send, for the users' preferences
