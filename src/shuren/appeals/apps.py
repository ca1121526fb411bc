from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "shuren.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self) -> None:
        from shuren.notifications.kinds import register

        from .messaging import KINDS

        register(*KINDS)  # the kinds of message appeals send, for the users' preferences
