from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConventionsConfig(AppConfig):
    name = "shuren.conventions"
    label = "conventions"
    verbose_name = _("Residents' conventions")
