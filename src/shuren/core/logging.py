"""A logging filter that masks ID numbers and mobile numbers before any record is written."""

from __future__ import annotations

import logging
import re

from .masking import mask_id_number, mask_phone

ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
PHONE_PATTERN = re.compile(r"(?<!\d)(?:\+?86)?1\d{10}(?!\d)")


def redact(text: str) -> str:
    text = ID_PATTERN.sub(lambda m: mask_id_number(m.group(0)), text)
    return PHONE_PATTERN.sub(lambda m: mask_phone(m.group(0)), text)


class RedactPiiFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the record
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        return True
