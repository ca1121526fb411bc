from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "shuren.meetings"
    label = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from shuren.notifications.kinds import register

        from . import receivers  # noqa: F401  (connects the proposal_qualified receiver)
        from .messaging import KINDS

        register(*KINDS)  # the kinds of message meetings send, for the users' preferences
