from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shuren.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import checks  # noqa: F401  (registers system checks)
        from .forms import install_fast_select, install_input_cleaning, install_length_message
        from .lookups import register
        from .models import WorkdayOverride
        from .workdays import forget_overrides

        post_save.connect(forget_overrides, sender=WorkdayOverride, dispatch_uid="core.workdays.saved")
        post_delete.connect(forget_overrides, sender=WorkdayOverride, dispatch_uid="core.workdays.deleted")
        register()
        install_input_cleaning()
        install_length_message()
        install_fast_select()
