"""The reveal endpoint: the full value of one masked field, for one object, with a reason."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from ..permissions import requires, signed_in
from ..pii import REVEAL_ACTION, reveal, revealable
from ..reauth import reauth_required


@requires(REVEAL_ACTION)
@require_POST
@reauth_required
def reveal_field(request: HttpRequest) -> JsonResponse:
    """POST model (app_label.model), pk, field, reason -> {"value": ...}. Never cached; audited."""
    label = request.POST.get("model", "")
    field = request.POST.get("field", "")
    spec = revealable(label, field)
    if spec is None:
        raise Http404
    try:
        model = apps.get_model(label)
        obj = model._default_manager.get(pk=int(request.POST.get("pk", "")))
    except (LookupError, ValueError, ObjectDoesNotExist):
        raise Http404 from None
    try:
        value = reveal(actor=signed_in(request), obj=obj, field=field, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        return JsonResponse({"errors": {"reason": exc.messages}}, status=400)
    response = JsonResponse({"value": value})
    response["Cache-Control"] = "no-store"
    return response
