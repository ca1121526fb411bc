from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shuren.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from shuren.core import auditing

        from . import (
            checks,  # noqa: F401 (registers the deployment checks)
            services,
        )

        # Looked up at each call, so that the audit log's own wrapping (and tests) stay in force.
        auditing.install(lambda action, **kwargs: services.record_event(action, **kwargs))
