from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "shuren.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # The outbox's and the providers' settings checks (`shuren check`, `check --deploy`).
        from . import checks  # noqa: F401
        from .sms import checks as sms_checks  # noqa: F401
        from .wechat import checks as wechat_checks  # noqa: F401
        from .wecom import checks as wecom_checks  # noqa: F401
