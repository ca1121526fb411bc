from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "shuren.points"
    label = "points"
    verbose_name = _("Points")

    def ready(self) -> None:
        from shuren.notifications.kinds import register

        from . import receivers  # noqa: F401  (connects to governance.item_verified, volunteering.service_confirmed)
        from .messaging import KINDS

        register(*KINDS)  # the kinds of message points send, for the users' preferences
