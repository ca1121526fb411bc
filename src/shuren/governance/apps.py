from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "shuren.governance"
    label = "governance"
    verbose_name = _("Governance lists")

    def ready(self) -> None:
        from shuren.notifications.kinds import register

        from .messaging import KINDS

        register(*KINDS)  # the kinds of message the governance list sends, for the users' preferences
