from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shuren.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from shuren.core.masking import mask_id_number, mask_phone
        from shuren.core.pii import register_revealable

        from .models import Person

        register_revealable(Person, "id_number", mask=mask_id_number)
        register_revealable(Person, "phone", mask=mask_phone)
