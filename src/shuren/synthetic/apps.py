from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyntheticConfig(AppConfig):
    """Synthetic data at scale (``shuren seed-scale``, ``make bench``). No models: it writes the
    other apps' rows, in database form, as a district would have made them over years of use."""

    name = "shuren.synthetic"
    label = "synthetic"
    verbose_name = _("Synthetic data")
