from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "shuren.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteering")

    def ready(self) -> None:
        from shuren.notifications.kinds import register

        from .messaging import KINDS

        register(*KINDS)  # the kinds of message volunteering sends, for the users' preferences
