"""Linking an account to its resident record.

The resident names the community, the dwelling and their name. When the registry holds exactly one
person living in that dwelling, with that name and the account's mobile number, and no account yet,
the link is made at once. Otherwise the request waits for the grid worker of the dwelling's grid or
the community's staff (``signup.review`` there), who link it to a resident of the dwelling
(or register one) or refuse it with a reason. A person is linked to one account at most: the link is
a conditional update (``user IS NULL``) on top of the one-to-one column, so two approvals racing for
one person leave one link and one refusal.

A link grants the resident role on the dwelling's grid; what an owner may vote on follows from the
registry (``ballots.electorate`` reads the owners' residences and the person's account).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.accounts.services import grant_role
from shuren.audit.services import record_event
from shuren.core import crypto
from shuren.core.errors import InvalidTransition
from shuren.core.scoping import can, require
from shuren.core.validators import clean_text
from shuren.notifications.services import notify
from shuren.people.models import PHONE_INDEX_PURPOSE, Person
from shuren.people.services import add_residence, register_person
from shuren.places.models import Area, AreaKind, Dwelling

from ..models import LinkRequest, LinkStatus

REVIEW_ACTION = "signup.review"


def residents_of(dwelling: Dwelling) -> QuerySet[Person]:
    """People the registry has living in (or owning) ``dwelling`` now."""
    today = timezone.localdate()
    return Person.objects.filter(
        Q(residences__to_on__isnull=True) | Q(residences__to_on__gte=today),
        residences__dwelling=dwelling,
    ).distinct()


def matching_people(*, dwelling: Dwelling, name: str, phone: str) -> list[Person]:
    """Residents of ``dwelling`` with this name and mobile number and no account yet."""
    if not phone:
        return []
    index = crypto.blind_index(phone, purpose=PHONE_INDEX_PURPOSE)
    return list(residents_of(dwelling).filter(name=name, phone_index=index, user__isnull=True)[:2])


def _link(*, request: LinkRequest, person: Person, actor: User | None, automatic: bool) -> bool:
    """Give ``person`` the request's account, if neither is linked yet. True when linked."""
    try:
        with transaction.atomic():
            updated = Person.objects.filter(pk=person.pk, user__isnull=True).update(user=request.user)
    except IntegrityError:  # the account got another person meanwhile
        return False
    if not updated:
        return False
    now = timezone.now()
    LinkRequest.objects.filter(pk=request.pk).update(
        status=LinkStatus.LINKED, person=person, automatic=automatic, decided_by=actor, decided_at=now, updated_at=now
    )
    request.refresh_from_db()
    grid = request.dwelling.unit.building.grid
    if not RoleGrant.objects.active().filter(user=request.user, role=Role.RESIDENT, area=grid).exists():
        grant_role(actor=None, user=request.user, role=Role.RESIDENT, area=grid)
    record_event(
        "signup.link_approve",
        actor=actor,
        obj=request,
        detail={"person": person.pk, "automatic": automatic, "dwelling": request.dwelling_id},
    )
    notify(
        kind="signup.link_approved",
        event_key=f"signup-link:{request.pk}:linked",
        recipients=[request.user],
        subject=gettext_lazy("Your account is linked to your home"),
        text=gettext_lazy(
            "Your account is now linked to your resident record. You can report problems, take part and, "
            "if you own your home, vote in owners' ballots."
        ),
        link="/",
    )
    return True


def request_link(*, actor: User, community: Area, dwelling: Dwelling, name: str) -> LinkRequest:
    """Ask to be linked to the resident ``name`` of ``dwelling``; linked at once when the registry
    is sure (see the module)."""
    name = clean_text(name or "")
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Enter your name as the community registered it.")]
    if community.kind != AreaKind.COMMUNITY:
        errors["community"] = [_("Choose a community.")]
    elif not dwelling.scope.startswith(community.path + "."):
        errors["dwelling"] = [_("Choose a home in the community you chose.")]
    if errors:
        raise ValidationError(errors)
    if Person.objects.filter(user=actor).exists():
        raise ValidationError(_("Your account is already linked to a resident."), code="linked")
    with transaction.atomic():
        try:
            with transaction.atomic():
                request = LinkRequest.objects.create(user=actor, community=community, dwelling=dwelling, name=name)
        except IntegrityError:
            raise ValidationError(_("You already have a request waiting."), code="pending") from None
        record_event("signup.link_request", actor=actor, obj=request, detail={"dwelling": dwelling.pk})
        found = matching_people(dwelling=dwelling, name=name, phone=actor.phone)
        if len(found) == 1:
            _link(request=request, person=found[0], actor=None, automatic=True)
    return request


def _locked_pending(request: LinkRequest) -> LinkRequest:
    locked = LinkRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != LinkStatus.PENDING:
        raise InvalidTransition(_("This request has already been decided."))
    return locked


def approve_link(
    *,
    actor: User,
    request: LinkRequest,
    person: Person | None = None,
    register_as: tuple[str, str] | None = None,
) -> LinkRequest:
    """Link the request to ``person`` (a resident of its dwelling), or, with ``register_as``
    (relation, residence status), register the resident in the dwelling first."""
    require(actor, REVIEW_ACTION, request)
    if (person is None) == (register_as is None):
        raise ValidationError({"person": [_("Choose the resident, or register a new one.")]})
    with transaction.atomic():
        locked = _locked_pending(request)
        if person is not None:
            require(actor, "people.change_person", person)
            if not residents_of(locked.dwelling).filter(pk=person.pk).exists():
                raise ValidationError({"person": [_("Choose a resident of this home.")]})
        else:
            assert register_as is not None
            relation, status = register_as
            if not can(actor, "people.change_person", locked.community):
                # A grid worker edits the people of their grid; registering someone new in the
                # community is the community staff's.
                raise ValidationError({"person": [_("Only the community's staff can register a new resident.")]})
            person = register_person(actor=actor, community=locked.community, name=locked.name, phone=locked.user.phone)
            add_residence(actor=actor, person=person, dwelling=locked.dwelling, relation=relation, status=status)
        if not _link(request=locked, person=person, actor=actor, automatic=False):
            raise ValidationError(
                {
                    "person": [
                        _("This resident is already linked to another account, or this account to another resident.")
                    ]
                }
            )
    return locked


def refuse_link(*, actor: User, request: LinkRequest, reason: str) -> LinkRequest:
    """Refuse the request; the resident sees ``reason``."""
    require(actor, REVIEW_ACTION, request)
    reason = clean_text(reason or "")
    if not reason:
        raise ValidationError({"reason": [_("Say why, so that the resident knows what to do.")]})
    with transaction.atomic():
        locked = _locked_pending(request)
        locked.status, locked.reason = LinkStatus.REFUSED, reason[:300]
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save(update_fields=["status", "reason", "decided_by", "decided_at", "updated_at"])
        record_event("signup.link_refuse", actor=actor, obj=locked, reason=reason[:300])
        notify(
            kind="signup.link_refused",
            event_key=f"signup-link:{locked.pk}:refused",
            recipients=[locked.user],
            subject=gettext_lazy("Your request to link your account was refused"),
            text=lambda user: _("The community could not link your account: %(reason)s") % {"reason": reason},
            link="/my/account/link/",
        )
    return locked
