"""Validation of Chinese resident ID numbers (GB 11643) and mobile numbers, with clear messages, and
the cleaning every typed or imported text goes through (``clean_text``, ``compact_identifier``)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import InvalidComponent
from stdnum.exceptions import ValidationError as StdnumError

# GB/T 2260 province-level codes. Unknown county codes only warn: abolished codes stay valid on old cards.
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82".split()
)


# Dashes people type between digit groups (hyphen, minus, en/em dash, their full-width forms).
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def _invisible(ch: str) -> bool:
    """Format characters (zero-width spaces and joiners, BOM, word joiner, soft hyphen, bidi
    controls: Unicode category Cf) and control characters other than tab and line breaks."""
    category = unicodedata.category(ch)
    return category == "Cf" or (category == "Cc" and ch not in "\t\n\r")


def _folded(ch: str) -> str:
    """Full-width (and half-width, and mathematical-font) letters and digits as ASCII, as NFKC
    folds them. Other compatibility characters keep their form: Chinese full-width punctuation
    (，：（）) and signs such as ² or ㎡ belong in prose."""
    decomposition = unicodedata.decomposition(ch)
    if decomposition.startswith(("<wide>", "<narrow>", "<font>")):
        folded = unicodedata.normalize("NFKC", ch)
        if folded.isascii() and folded.isalnum():
            return folded
    return ch


def clean_text(value: str, *, multiline: bool = False) -> str:
    """Text as typed or imported, cleaned the same way everywhere (forms, the API, imports):
    composed (NFC), full-width letters and digits folded to ASCII, invisible characters removed
    (zero-width spaces, BOM, soft hyphens, bidi controls, control characters) and the ends stripped.
    A single line has every run of white space (tabs, ideographic and no-break spaces, line
    breaks) collapsed to one space; ``multiline`` text keeps its line breaks, as ``\\n``."""
    text = "".join(_folded(ch) for ch in unicodedata.normalize("NFC", value) if not _invisible(ch))
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
        return text.strip()
    return " ".join(text.split())


def compact_identifier(value: str) -> str:
    """An ID, phone or other number as typed, reduced to its characters: NFKC (full-width digits and
    letters become ASCII), invisible characters, white space and dashes removed."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if not (_invisible(ch) or ch.isspace() or ch in _DASHES))


def number_text(value: str) -> str:
    """A typed quantity (integer or decimal) as Python reads it: NFKC (full-width digits, point and
    signs become ASCII), a minus sign or dash before it as "-", invisible characters and white
    space removed. Unlike ``compact_identifier`` the sign is kept: -5 stays negative."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join("-" if ch in _DASHES else ch for ch in text if not (_invisible(ch) or ch.isspace()))


@lru_cache(maxsize=8192)
def _county_known(region: str) -> bool:
    """Whether the region code is in python-stdnum's GB/T 2260 table (cached: the lookup is slow and
    a community's residents share a few hundred codes)."""
    try:
        ric.get_birth_place(region + "19700101000" + "0")
    except (InvalidComponent, StdnumError, KeyError):
        return False
    return True


@dataclass(frozen=True)
class IdNumber:
    number: str
    birth_date: dt.date
    sex: str  # "M" or "F"
    county_known: bool

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


def parse_id_number(value: str, *, today: dt.date | None = None) -> IdNumber:
    """Normalise and validate an 18-character resident ID number or raise ValidationError. Full-width
    digits and X, spaces and dashes between the groups are accepted (``compact_identifier``)."""
    number = compact_identifier(value).upper()
    if not number:
        raise ValidationError(_("Enter the ID number."), code="required")
    if len(number) != 18:
        raise ValidationError(
            _("An ID number has 18 characters; this one has %(n)d.") % {"n": len(number)}, code="length"
        )
    if not _ascii_digits(number[:17]) or not (_ascii_digits(number[17]) or number[17] == "X"):
        raise ValidationError(_("An ID number is 17 digits followed by a digit or X."), code="format")
    if number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("The ID number starts with an unknown province code (%(code)s).") % {"code": number[:2]}, code="province"
        )
    try:
        birth = ric.get_birth_date(number)
    except (InvalidComponent, StdnumError, ValueError):
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is not a real date.") % {"date": number[6:14]},
            code="birth_date",
        ) from None
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) is impossible.") % {"date": birth.isoformat()},
            code="birth_date",
        )
    # calc_check_digit takes the whole 18-character number and ignores its last character.
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(_("The ID number's check character is wrong: a digit may be mistyped."), code="checksum")
    county_known = _county_known(number[:6])
    sex = "M" if int(number[16]) % 2 else "F"
    return IdNumber(number=number, birth_date=birth, sex=sex, county_known=county_known)


def _ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def validate_id_number(value: str) -> None:
    parse_id_number(value)


def normalize_phone(value: str) -> str:
    """Return a Chinese mobile number in E.164 (``+8613800138000``) or raise ValidationError.
    Full-width digits, spaces, dashes and brackets as people type them are accepted."""
    raw = compact_identifier(value)
    if not raw:
        raise ValidationError(_("Enter the mobile number."), code="required")
    digits = "".join(ch for ch in raw if _ascii_digits(ch))
    if not raw.startswith(("+", "00")) and len(digits) == 13 and digits.startswith("86"):
        raw = "+" + digits
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This is not a phone number."), code="invalid") from None
    if parsed.country_code != 86 or not phonenumbers.is_valid_number(parsed):
        raise ValidationError(
            _("This is not a valid mainland China mobile number (11 digits, starting with 1)."), code="invalid"
        )
    if phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(_("Enter a mobile number, not a landline."), code="not_mobile")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    normalize_phone(value)


def required_text(text: str | None, field: str, message: str, *, limit: int | None = None) -> str:
    """The text stripped; a ValidationError on ``field`` with ``message`` when empty, or when longer
    than ``limit`` characters."""
    text = clean_text(text or "", multiline=True)
    if not text:
        raise ValidationError({field: [message]})
    if limit is not None and len(text) > limit:
        raise ValidationError({field: [_("At most %(count)d characters.") % {"count": limit}]})
    return text
