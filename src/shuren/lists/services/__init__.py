"""Every write of the lists, one transaction each with its timeline row and audit record:
``needs`` (recording, from an appeal, closing, a resident's request), ``resources`` (the units'
entries) and ``matches`` (propose, accept, decline, withdraw, complete)."""

from .matches import (
    NotEnoughLeft,
    accept_match,
    complete_match,
    decline_match,
    propose_match,
    withdraw_match,
)
from .needs import close_need, create_need, need_from_appeal, request_resource
from .resources import create_resource, edit_resource

__all__ = [
    "NotEnoughLeft",
    "accept_match",
    "close_need",
    "complete_match",
    "create_need",
    "create_resource",
    "decline_match",
    "edit_resource",
    "need_from_appeal",
    "propose_match",
    "request_resource",
    "withdraw_match",
]
