"""Password policy: profile ``ASVS`` (length + blocklists) or ``MLPS3`` (adds three character classes;
rotation handled by PasswordExpiryMiddleware). See docs/adr/0005-password-profiles.md."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import (
    CommonPasswordValidator,
    UserAttributeSimilarityValidator,
)
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 128
CONTEXT_WORDS = ("shuren", "熟人", "shequ", "社区", "juweihui", "居委会", "wangge", "网格", "password", "mima")


def character_classes(password: str) -> int:
    classes = [
        any(c.islower() for c in password),
        any(c.isupper() for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    return sum(classes)


class ProfileValidator:
    def __init__(self) -> None:
        self.common = CommonPasswordValidator()
        self.similar = UserAttributeSimilarityValidator(
            user_attributes=("username", "full_name", "email"), max_similarity=0.7
        )

    @property
    def min_length(self) -> int:
        return max(8, settings.SHUREN_PASSWORD_MIN_LENGTH)

    @property
    def profile(self) -> str:
        return str(settings.SHUREN_PASSWORD_PROFILE).upper()

    def validate(self, password: str, user: Any = None) -> None:
        errors: list[ValidationError] = []
        if len(password) < self.min_length:
            errors.append(
                ValidationError(
                    _("The password must have at least %(n)d characters.") % {"n": self.min_length},
                    code="password_too_short",
                )
            )
        if len(password) > MAX_LENGTH:
            errors.append(
                ValidationError(
                    _("The password may have at most %(n)d characters.") % {"n": MAX_LENGTH}, code="password_too_long"
                )
            )
        lowered = password.lower()
        if any(word in lowered for word in CONTEXT_WORDS) or len(set(password)) <= 3:
            errors.append(ValidationError(_("The password is too easy to guess."), code="password_context"))
        for validator in (self.common, self.similar):
            try:
                validator.validate(password, user)
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if self.profile == "MLPS3" and character_classes(password) < 3:
            errors.append(
                ValidationError(
                    _(
                        "The password must mix at least three of: lower-case letters, upper-case letters, digits,"
                        " symbols."
                    ),
                    code="password_classes",
                )
            )
        if errors:
            raise ValidationError(errors)

    def get_help_text(self) -> str:
        text = _("At least %(n)d characters; avoid common passwords and your own name.") % {"n": self.min_length}
        if self.profile == "MLPS3":
            text += " " + _("Mix at least three of: lower-case, upper-case, digits, symbols.")
        return text
