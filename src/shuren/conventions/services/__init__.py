"""Every write to a residents' convention. Each is one transaction with its audit record.

Staff (conventions.manage) draft a convention for a place; each change is a new version that starts
from the text in force. A version is drafted, opened for discussion (residents of the place comment),
and then either adopted — by a meeting's resolution or an owners' ballot, which call
``adopt_version`` — or not adopted. The version's life is the table in ``workflow``.

Split by concern: ``drafting`` (conventions, versions, repeal), ``adoption`` (called by meetings and
ballots), ``discussion`` (comments).
"""

from .adoption import adopt_version
from .discussion import add_comment, hide_comment
from .drafting import (
    create_convention,
    edit_draft,
    open_discussion,
    reject_version,
    repeal_convention,
    start_version,
)

__all__ = [
    "add_comment",
    "adopt_version",
    "create_convention",
    "edit_draft",
    "hide_comment",
    "open_discussion",
    "reject_version",
    "repeal_convention",
    "start_version",
]
