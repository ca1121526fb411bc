from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "shuren.notices"
    label = "notices"
    verbose_name = _("Stairwell notices")

    def ready(self) -> None:
        from shuren.notifications.kinds import Kind, register
        from shuren.orgs.panels import register_building_panel

        from .panels import unreached_panel

        register(
            Kind("notices.published", _("A notice for my building"), channels=("inapp",), optional=("email",)),
            Kind("notices.urgent", _("An urgent notice for my building"), channels=("inapp", "email")),
        )
        register_building_panel(unreached_panel)
