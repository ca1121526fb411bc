from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignupConfig(AppConfig):
    name = "shuren.signup"
    label = "signup"
    verbose_name = _("Resident sign-up")

    def ready(self) -> None:
        from shuren.notifications.kinds import Kind, register

        usual = ("inapp", "email")
        register(
            # SMS on request (it needs a template registered with the provider for the kind).
            Kind("signup.link_approved", _("My account was linked to my home"), channels=usual, optional=("sms",)),
            Kind("signup.link_refused", _("My request to link my account was refused"), usual, ("sms",)),
            # Security notices: sent whatever the user chose.
            Kind("signup.password_reset", _("My password was reset"), channels=usual, mandatory=True),
            Kind("signup.phone_changed", _("My mobile number was changed"), channels=usual, mandatory=True),
        )
