"""The kinds of message, which apps declare so that users can choose their channels per kind.

An app registers its kinds when Django starts (its ``AppConfig.ready``)::

    from shuren.notifications.kinds import Kind, register
    register(Kind("appeals.resolved", _("An appeal of mine was resolved"), channels=("inapp", "email", "sms")))

``channels`` are the channels the kind is sent on when the user has chosen nothing; in-app messages
cannot be switched off (the inbox is the record). A kind nobody registered is still delivered, on
the default channels, and listed by its code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise

from .models import Channel

DEFAULT_CHANNELS: tuple[str, ...] = (Channel.INAPP, Channel.EMAIL)


@dataclass(frozen=True)
class Kind:
    code: str  # dotted: "<app>.<event>"
    label: str | Promise
    channels: tuple[str, ...] = DEFAULT_CHANNELS  # on unless the user switches them off
    # Channels a user may switch on though they are off by default (e.g. SMS for a minor kind).
    optional: tuple[str, ...] = ()
    # Sent whatever the user chose (a security notice: "your password was changed"); not on the
    # preferences page.
    mandatory: bool = False
    # The actions (any of them) a user holds to see the kind on their preferences page: a kind sent
    # to handlers or the desk is not offered to residents. Empty: everyone.
    audience: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        known = set(Channel.values)
        if "." not in self.code:
            raise ValueError(f"a message kind is dotted, '<app>.<event>': {self.code!r}")
        unknown = (set(self.channels) | set(self.optional)) - known
        if unknown:
            raise ValueError(f"unknown channels {sorted(unknown)} for {self.code}")

    @property
    def choosable(self) -> tuple[str, ...]:
        """The channels the preferences page offers for this kind (in-app is always on)."""
        if self.mandatory:
            return ()
        ordered = [c for c in Channel.values if c in self.channels or c in self.optional]
        return tuple(c for c in ordered if c not in (Channel.INAPP, Channel.WECOM))


_KINDS: dict[str, Kind] = {}


def register(*kinds: Kind) -> None:
    for kind in kinds:
        _KINDS[kind.code] = kind


def get(code: str) -> Kind:
    return _KINDS.get(code) or Kind(code if "." in code else f"other.{code}", code)


def offered_to(kind: Kind, user: object) -> bool:
    """Whether ``user``'s preferences page lists ``kind``."""
    if not kind.audience:
        return True
    from shuren.core.scoping import has_action

    return any(has_action(user, action) for action in kind.audience)  # type: ignore[arg-type]


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: k.code)
