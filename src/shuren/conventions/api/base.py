"""What the conventions API views share: the signed-in caller."""

from __future__ import annotations
