"""Every write to the organisations registry: organisations, members, partnerships, service
stations, and posts with their kinds. Each write is scope-checked, validated and audited in one
transaction."""

from .organizations import (
    add_member,
    add_partnership,
    add_station,
    create_organization,
    end_membership,
    update_organization,
)
from .posts import assign_post, end_post, save_post_kind

__all__ = [
    "add_member",
    "add_partnership",
    "add_station",
    "assign_post",
    "create_organization",
    "end_membership",
    "end_post",
    "save_post_kind",
    "update_organization",
]
