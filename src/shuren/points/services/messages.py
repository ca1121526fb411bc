"""What points tell residents through the outbox, inside the transaction of the step that causes it:
the collection code of a reward they redeemed."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from shuren.notifications.services import notify

from ..models import Redemption, Reward


def tell_code(redemption: Redemption, reward: Reward) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        place = reward.pickup or _("the community office")
        values = {"reward": reward.name, "code": redemption.pickup_code, "place": place}
        notify(
            kind="points.redemption_code",
            event_key=f"redemption:{redemption.pk}:code",
            recipients=[redemption.redeemed_by],
            subject=_("Your collection code for %(reward)s: %(code)s") % values,
            text=_("You redeemed %(reward)s. Show the collection code %(code)s at %(place)s to collect it.") % values,
            link=reverse("points_portal:redemption", args=[redemption.pk]),
            params=values,
        )
