from django.apps import AppConfig


class TestAppConfig(AppConfig):
    """A scoped model with personal fields, installed only in the test settings, for exercising the
    shared PII, scoping and audit machinery before the domain apps exist."""

    name = "tests.testapp"
    label = "testapp"

    def ready(self) -> None:
        from shuren.core.masking import mask_id_number, mask_phone
        from shuren.core.pii import register_revealable

        from .models import Contact

        register_revealable(Contact, "phone", mask=mask_phone)
        register_revealable(Contact, "id_number", mask=mask_id_number)
