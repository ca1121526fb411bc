from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shuren.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers system checks)
        from .forms import install_input_cleaning, install_length_message
        from .lookups import register

        register()
        install_input_cleaning()
        install_length_message()
