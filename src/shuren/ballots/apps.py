from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "shuren.ballots"
    label = "ballots"
    verbose_name = _("Owners' ballots")

    def ready(self) -> None:
        from shuren.notifications.kinds import register

        from .messaging import KINDS

        register(*KINDS)  # the kinds of message ballots send, for the users' preferences
