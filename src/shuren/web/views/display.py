"""The display preferences every page offers at its foot: large text on or off (the language has
Django's own set_language view)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from shuren.accounts.acting import acting_user
from shuren.accounts.models import TextSize
from shuren.accounts.services import set_text_size
from shuren.core.permissions import public

from ..preferences import remember_on_device


def _safe_next(request: HttpRequest) -> str:
    """Where to return: ``next`` (or the referring page) when it is on this site, else the home page."""
    for candidate in (request.POST.get("next"), request.META.get("HTTP_REFERER")):
        if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
    return "/"


@public
@require_POST
@csrf_protect
def text_size(request: HttpRequest) -> HttpResponse:
    """Switch large text on or off for this device and, when signed in, for the account. Open to
    everyone: an older person may need large text to read the sign-in page itself."""
    chosen = request.POST.get("text_size", "")
    response = HttpResponseRedirect(_safe_next(request))
    if chosen not in TextSize.values:
        return response
    remember_on_device(response, chosen)
    if request.user.is_authenticated:
        set_text_size(user=acting_user(request), text_size=chosen)
    return response
