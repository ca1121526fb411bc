"""Every write of ballots: drafting, opening (freezing the electorate), votes online and on paper,
closing (the art. 278 tally) and cancelling, and the configuration of rules.

Each function runs in one transaction, checks the actor's right on the ballot's place
(``ballots.manage`` for staff; for an online vote, that the actor's person is among the voter's
owners), then the step with ``workflow.require``, validates with translatable messages, writes
through the version check where the ballot changes state, and records an audit event. A vote is one
row per (matter, voter): the database's unique constraint guarantees that one dwelling never votes
twice, whoever tries at the same moment.

``drafting`` (ballots and their matters), ``voting`` (open, votes, close, cancel), ``rules`` (the
local rules and the statutory floor of art. 278).
"""

from .drafting import add_matter, ballot_covers, create_ballot, remove_matter, update_ballot, update_matter
from .messages import remind_closing
from .rules import STATUTORY_RULES, below_statute, save_rule
from .voting import AlreadyVoted, cancel_ballot, cast_vote, close_ballot, open_ballot, record_paper_vote

__all__ = [
    "remind_closing",
    "STATUTORY_RULES",
    "AlreadyVoted",
    "add_matter",
    "ballot_covers",
    "below_statute",
    "cancel_ballot",
    "cast_vote",
    "close_ballot",
    "create_ballot",
    "open_ballot",
    "record_paper_vote",
    "remove_matter",
    "save_rule",
    "update_ballot",
    "update_matter",
]
