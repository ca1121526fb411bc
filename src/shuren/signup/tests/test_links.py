"""Linking a new account to its resident record: at once when the registry is sure, otherwise
through the queue of the grid worker or the community's staff."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuren.accounts.models import RoleGrant, User
from shuren.accounts.roles import Role
from shuren.audit.models import AuditEvent
from shuren.ballots.electorate import current_owner_residences
from shuren.core.scoping import has_action
from shuren.notifications.models import Message
from shuren.people.models import Person
from shuren.places.models import Dwelling
from shuren.signup.models import LinkRequest, LinkStatus
from shuren.signup.services import approve_link, refuse_link, request_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(make_user: Any) -> User:
    return make_user(username="newcomer", phone="+8613912345678")


@pytest.fixture
def stranger(make_user: Any) -> User:
    """An account whose number the registry does not know."""
    return make_user(username="stranger", phone="+8613700001111")


def _ask(client: Any, user: User, homes: dict[str, Any], tree: dict[str, Any], name: str, home: str = "a1") -> Any:
    client.force_login(user)
    dwelling: Dwelling = homes[home]
    body = {
        "community": tree["com_a"].pk if home != "b1" else tree["com_b"].pk,
        "building": dwelling.unit.building_id,
        "dwelling": dwelling.pk,
        "name": name,
    }
    return client.post(reverse("signup_portal:link"), body)


def test_the_registry_s_one_match_links_at_once_and_gives_the_owner_a_vote(
    client: Any, newcomer: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    response = _ask(client, newcomer, homes, tree, "王芳")
    assert response["Location"] == reverse("signup_portal:link")
    owner = Person.objects.get(pk=homes["owner"].pk)
    assert owner.user == newcomer
    request = LinkRequest.objects.get()
    assert request.status == LinkStatus.LINKED and request.automatic and request.person == owner
    assert RoleGrant.objects.active().filter(user=newcomer, role=Role.RESIDENT, area=tree["grid_a1"]).exists()
    # What an owners' ballot reads: the owner's residence, and the account may vote.
    newcomer = User.objects.get(pk=newcomer.pk)
    assert has_action(newcomer, "ballots.vote")
    owners = current_owner_residences(Dwelling.objects.filter(pk=homes["a1"].pk))
    assert list(owners.values_list("person__user", flat=True)) == [newcomer.pk]
    assert Message.objects.filter(recipient=newcomer, kind="signup.link_approved", channel="inapp").exists()
    page = client.get(reverse("signup_portal:link"))
    assert 'data-testid="linked"' in page.content.decode()


@pytest.mark.parametrize("name", ["王方", "王芳芳"])
def test_a_name_that_differs_waits_for_the_community(
    client: Any, newcomer: User, homes: dict[str, Any], tree: dict[str, Any], name: str
) -> None:
    _ask(client, newcomer, homes, tree, name)
    assert LinkRequest.objects.get().status == LinkStatus.PENDING
    assert Person.objects.get(pk=homes["owner"].pk).user is None


def test_the_same_name_in_another_home_or_another_number_waits(
    client: Any, newcomer: User, stranger: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    _ask(client, newcomer, homes, tree, "王芳", home="a1_102")
    _ask(client, stranger, homes, tree, "王芳")
    assert set(LinkRequest.objects.values_list("status", flat=True)) == {LinkStatus.PENDING}


def test_a_home_outside_the_community_chosen_is_refused(
    client: Any, stranger: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError) as caught:
        request_link(actor=stranger, community=tree["com_a"], dwelling=homes["b1"], name="李四")
    assert "dwelling" in caught.value.message_dict


def test_one_request_waits_at_a_time(stranger: User, homes: dict[str, Any], tree: dict[str, Any]) -> None:
    request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1"], name="李四")
    with pytest.raises(ValidationError):
        request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1_102"], name="李四")


def test_the_grid_worker_sees_the_waiting_count_and_links_the_resident_chosen(
    client: Any,
    verified_client: Any,
    stranger: User,
    grid_worker: User,
    homes: dict[str, Any],
    tree: dict[str, Any],
) -> None:
    request = request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1"], name="王芳")
    staff = verified_client(grid_worker)
    queue = staff.get(reverse("signup:queue"))
    assert queue.status_code == 200
    text = queue.content.decode()
    assert f'data-testid="link-request-{request.pk}"' in text
    assert 'data-testid="nav-count-signup-queue">1' in text  # the count of the menu entry
    dashboard = staff.get("/dashboard/").content.decode()
    assert 'data-testid="link-requests-card"' in dashboard and "1 位居民" in dashboard
    detail = staff.get(reverse("signup:detail", args=[request.pk]))
    assert "王芳" in detail.content.decode()
    response = staff.post(reverse("signup:approve", args=[request.pk]), {"person": str(homes["owner"].pk)})
    assert response["Location"] == reverse("signup:queue")
    request.refresh_from_db()
    assert request.status == LinkStatus.LINKED and request.decided_by == grid_worker and not request.automatic
    assert Person.objects.get(pk=homes["owner"].pk).user == stranger
    assert AuditEvent.objects.filter(action="signup.link_approve", actor_id=grid_worker.pk).exists()
    assert Message.objects.filter(recipient=stranger, kind="signup.link_approved").exists()


def test_community_staff_register_a_resident_the_registry_lacks_and_link_them(
    make_user: Any, stranger: User, grid_worker: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    request = request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1_102"], name="李四")
    with pytest.raises(ValidationError):  # the grid worker edits the people of the grid, registers nobody new
        approve_link(actor=grid_worker, request=request, register_as=("tenant", "floating"))
    staff = make_user(Role.COMMUNITY_STAFF, tree["com_a"], username="staff_a")
    approve_link(actor=staff, request=request, register_as=("tenant", "floating"))
    person = Person.objects.get(user=stranger)
    assert person.name == "李四" and person.phone == stranger.phone
    assert person.residences.get().dwelling == homes["a1_102"]


def test_a_refusal_carries_its_reason_to_the_resident(
    client: Any, verified_client: Any, stranger: User, grid_worker: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    request = request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1"], name="王芳")
    staff = verified_client(grid_worker)
    response = staff.post(reverse("signup:refuse", args=[request.pk]), {"reason": ""})
    assert response.status_code == 400
    response = staff.post(reverse("signup:refuse", args=[request.pk]), {"reason": "该户登记的业主不是您，请到社区核实"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == LinkStatus.REFUSED
    assert AuditEvent.objects.filter(action="signup.link_refuse").exists()
    message = Message.objects.get(recipient=stranger, kind="signup.link_refused", channel="inapp")
    assert "请到社区核实" in message.text
    client.force_login(stranger)
    page = client.get(reverse("signup_portal:link")).content.decode()
    assert "请到社区核实" in page and 'data-testid="link-form"' in page  # they may ask again


def test_a_decided_request_cannot_be_decided_again(
    stranger: User, grid_worker: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    from shuren.core.errors import InvalidTransition

    request = request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1"], name="王芳")
    refuse_link(actor=grid_worker, request=request, reason="不符")
    with pytest.raises(InvalidTransition):
        approve_link(actor=grid_worker, request=request, person=homes["owner"])


def test_a_grid_worker_of_another_grid_gets_404_and_an_empty_queue(
    verified_client: Any,
    stranger: User,
    other_grid_worker: User,
    homes: dict[str, Any],
    tree: dict[str, Any],
) -> None:
    request = request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1"], name="王芳")
    staff = verified_client(other_grid_worker)
    assert staff.get(reverse("signup:detail", args=[request.pk])).status_code == 404
    response = staff.post(reverse("signup:approve", args=[request.pk]), {"person": str(homes["owner"].pk)})
    assert response.status_code == 404
    assert staff.post(reverse("signup:refuse", args=[request.pk]), {"reason": "x"}).status_code == 404
    assert f"link-request-{request.pk}" not in staff.get(reverse("signup:queue")).content.decode()
    assert "link-requests-card" not in staff.get("/dashboard/").content.decode()
    assert LinkRequest.objects.get().status == LinkStatus.PENDING


def test_community_staff_see_every_grid_of_their_community_and_not_the_next_one(
    verified_client: Any, make_user: Any, stranger: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    mine = request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1"], name="王芳")
    other = make_user(username="far", phone="+8613700002222")
    theirs = request_link(actor=other, community=tree["com_b"], dwelling=homes["b1"], name="赵六")
    staff = verified_client(make_user(Role.COMMUNITY_STAFF, tree["com_a"], username="staff_a"))
    assert staff.get(reverse("signup:detail", args=[mine.pk])).status_code == 200
    assert staff.get(reverse("signup:detail", args=[theirs.pk])).status_code == 404


def test_a_person_linked_to_one_account_is_not_offered_to_another(
    newcomer: User, stranger: User, grid_worker: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    waiting = request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1"], name="王芳")
    request_link(actor=newcomer, community=tree["com_a"], dwelling=homes["a1"], name="王芳")  # linked at once
    with pytest.raises(ValidationError):
        approve_link(actor=grid_worker, request=waiting, person=homes["owner"])
    assert Person.objects.get(pk=homes["owner"].pk).user == newcomer
    waiting.refresh_from_db()
    assert waiting.status == LinkStatus.PENDING


def test_the_queue_filters_by_status_grid_and_name_and_counts_each_status(
    verified_client: Any, make_user: Any, grid_worker: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    first = request_link(
        actor=make_user(username="u1", phone="+8613700000001"),
        community=tree["com_a"],
        dwelling=homes["a1"],
        name="张三",
    )
    request_link(
        actor=make_user(username="u2", phone="+8613700000002"),
        community=tree["com_a"],
        dwelling=homes["a1_102"],
        name="李四",
    )
    refuse_link(actor=grid_worker, request=first, reason="不符")
    staff = verified_client(grid_worker)
    response = staff.get(reverse("signup:queue"))
    assert [t[2] for t in response.context["tabs"]] == [1, 0, 1]
    assert [r.name for r in response.context["page"].object_list] == ["李四"]
    refused = staff.get(reverse("signup:queue"), {"status": "refused"})
    assert [r.name for r in refused.context["page"].object_list] == ["张三"]
    assert not staff.get(reverse("signup:queue"), {"q": "王"}).context["page"].object_list
    by_grid = staff.get(reverse("signup:queue"), {"grid": tree["grid_a1"].pk})
    assert [r.name for r in by_grid.context["page"].object_list] == ["李四"]


def test_the_link_page_narrows_the_lists_step_by_step(
    client: Any, stranger: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    client.force_login(stranger)
    assert not client.get(reverse("signup_portal:link")).context["form"].fields["community"].queryset
    page = client.post(reverse("signup_portal:link"), {"community_search": "大新", "step": "1"})
    assert list(page.context["form"].fields["community"].queryset) == [tree["com_a"]]  # not every community
    page = client.post(reverse("signup_portal:link"), {"community": tree["com_a"].pk, "step": "1"})
    buildings = page.context["form"].fields["building"].queryset
    assert set(buildings.values_list("number", flat=True)) == {"1座", "2座"}
    assert not page.context["form"].errors
    page = client.post(
        reverse("signup_portal:link"),
        {"community": tree["com_a"].pk, "building": homes["a1"].unit.building_id, "step": "1"},
    )
    rooms = page.context["form"].fields["dwelling"].queryset
    assert set(rooms.values_list("room", flat=True)) == {"101", "102"}


def test_a_grid_worker_is_told_when_nobody_of_the_home_can_be_linked(
    verified_client: Any, stranger: User, grid_worker: User, homes: dict[str, Any], tree: dict[str, Any]
) -> None:
    request = request_link(actor=stranger, community=tree["com_a"], dwelling=homes["a1_102"], name="李四")
    page = verified_client(grid_worker).get(reverse("signup:detail", args=[request.pk])).content.decode()
    assert 'data-testid="nobody-to-link"' in page and 'name="relation"' not in page


def test_an_account_without_a_role_is_shown_the_way_to_ask_for_its_home(client: Any, stranger: User) -> None:
    client.force_login(stranger)
    page = client.get("/", follow=True).content.decode()
    assert reverse("signup_portal:link") in page and 'data-testid="ask-link"' in page
