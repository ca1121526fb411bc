from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shuren.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from shuren.core import scoping

        from . import signals  # noqa: F401
        from .grants import authority

        scoping.install(authority())
