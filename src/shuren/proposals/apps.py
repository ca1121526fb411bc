from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "shuren.proposals"
    label = "proposals"
    verbose_name = _("Resident proposals")

    def ready(self) -> None:
        from shuren.notifications.kinds import register

        from .messaging import KINDS

        register(*KINDS)  # the kinds of message proposals send, for the users' preferences
