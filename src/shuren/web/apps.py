from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "shuren.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from . import receivers  # noqa: F401
