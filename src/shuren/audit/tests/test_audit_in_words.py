"""The audit log speaks in words: actions, roles and objects by their names, the codes in tooltips
and in the export; and every action the sources record has a name."""

from __future__ import annotations

import ast
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import translation

from shuren.accounts.roles import Role
from shuren.audit.labels import ACTION_LABELS, action_label, in_words, role_label
from shuren.audit.services import record_event

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2]


class _Text(HTMLParser):
    """The text a reader sees (attributes such as ``title`` left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.titles: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.titles += [value or "" for name, value in attrs if name == "title"]


def _read(html: str) -> _Text:
    reader = _Text()
    reader.feed(html)
    return reader


def _table_text(html: str) -> tuple[str, list[str]]:
    table = html[html.index("<table") : html.index("</table>")]
    reader = _read(table)
    return " ".join(" ".join(reader.parts).split()), reader.titles


def test_a_login_shows_in_words_with_the_codes_in_tooltips(make_user, user_for_role, verified_client):
    admin = make_user(Role.SYSTEM_ADMIN, username="wang")
    record_event("auth.login", actor=admin, obj=admin)
    client = verified_client(user_for_role(Role.AUDITOR))
    text, titles = _table_text(client.get("/audit/?action=auth.login").content.decode())
    assert "登录成功" in text and "系统管理员" in text
    assert "auth.login" not in text and "system_admin" not in text and "accounts.User" not in text
    assert "auth.login" in titles and "system_admin" in titles and f"accounts.User #{admin.pk}" in titles
    assert f"用户 · {admin}" in text


def test_the_event_page_names_the_action_role_and_object(user_for_role, verified_client, tree):
    admin = user_for_role(Role.SYSTEM_ADMIN)
    event = record_event("places.area_change", actor=admin, obj=tree["com_a"])
    client = verified_client(user_for_role(Role.AUDITOR))
    page = client.get(f"/audit/{event.pk}/").content.decode()
    assert "修改区域" in page and "系统管理员" in page and f"区域 · {tree['com_a'].name}" in page
    assert "places.area_change" in page and f"places.Area #{tree['com_a'].pk}" in page  # beside, as code


def test_a_person_is_named_by_kind_and_number_only(tree, make_user):
    from shuren.people.models import Person

    person = Person.objects.create(name="林小梅", name_pinyin="lin xiaomei", community=tree["com_a"])
    event = record_event("people.person_update", obj=person)
    with translation.override("zh-hans"):
        (described,) = in_words([event])
    assert described.object_label == f"居民 #{person.pk}" and "林小梅" not in described.object_label


def test_an_unknown_code_or_deleted_object_stays_readable():
    event = record_event("retired.action", object_type="places.Area", object_id="999999")
    gone = record_event("places.area_change", object_type="gone.Model", object_id="3")
    with translation.override("zh-hans"):
        described, described_gone = in_words([event, gone])
    assert described.action_label == "retired.action" and described.object_label == "区域 #999999"
    assert described_gone.object_label == "gone.Model #3"


def test_several_roles_are_listed_by_name():
    with translation.override("zh-hans"):
        assert role_label("community_staff,grid_worker") == "社区工作者、网格员"
        assert role_label("") == "" and role_label("retired_role") == "retired_role"
    with translation.override("en"):
        assert role_label("community_staff,grid_worker") == "Community staff, Grid worker"


def test_the_export_keeps_the_codes(user_for_role, verified_client):
    from conftest import confirmed_seconds_ago

    admin = user_for_role(Role.SYSTEM_ADMIN)
    record_event("auth.login", actor=admin)
    client = verified_client(user_for_role(Role.AUDITOR))
    confirmed_seconds_ago(client, 0)
    text = client.get("/audit/export/").content.decode("utf-8-sig")
    assert "auth.login" in text and "system_admin" in text and "登录成功" not in text


# --- every recorded action has a label ------------------------------------------------------------


def _literal(node: ast.AST) -> list[str] | None:
    """The strings an expression can be: a literal, or either branch of ``"a" if x else "b"``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _literal(node.body), _literal(node.orelse)
        return body + orelse if body is not None and orelse is not None else None
    return None


def _called(call: ast.Call) -> str | None:
    return getattr(call.func, "id", None) or getattr(call.func, "attr", None)


def recorded_actions(src: Path) -> tuple[set[str], list[str]]:
    """The action codes the sources record, and the calls whose code could not be read.

    A code is a literal passed to ``record_event``, an exporter's ``name``, or a literal passed to a
    helper of the same app that records ``f"<app>.{action}"``."""
    trees = {}
    for path in sorted(src.rglob("*.py")):
        if {"tests", "migrations", "synthetic"} & set(path.relative_to(src).parts) or path.name == "testing.py":
            continue
        trees[path] = ast.parse(path.read_text(), str(path))
    codes: set[str] = set()
    unread: list[str] = []
    helpers: dict[tuple[str, str], tuple[str, str, int | None]] = {}
    for path, tree in trees.items():
        app = path.relative_to(src).parts[0]
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and path.name == "exports.py":
                for stmt in node.body:
                    if isinstance(stmt, ast.Assign) and any(getattr(t, "id", "") == "name" for t in stmt.targets):
                        codes.update(_literal(stmt.value) or [])
            if not isinstance(node, ast.FunctionDef):
                continue
            for call in ast.walk(node):
                if not (isinstance(call, ast.Call) and _called(call) == "record_event" and call.args):
                    continue
                first = call.args[0]
                if isinstance(first, ast.JoinedStr):
                    head, value = first.values
                    assert isinstance(head, ast.Constant) and isinstance(value, ast.FormattedValue)
                    assert isinstance(value.value, ast.Name)
                    positional = [a.arg for a in node.args.posonlyargs + node.args.args]
                    name = value.value.id
                    where = positional.index(name) if name in positional else None
                    helpers[app, node.name] = (str(head.value), name, where)
                elif (found := _literal(first)) is not None:
                    codes.update(found)
                elif not (isinstance(first, ast.Attribute) and first.attr == "name") and node.name != "ready":
                    unread.append(f"{path.relative_to(src)}:{call.lineno}")
    for path, tree in trees.items():
        app = path.relative_to(src).parts[0]
        for node in ast.walk(tree):
            called = _called(node) if isinstance(node, ast.Call) else None
            if not (isinstance(node, ast.Call) and called is not None and (app, called) in helpers):
                continue
            prefix, param, index = helpers[app, called]
            given = [k.value for k in node.keywords if k.arg == param]
            if not given and index is not None and len(node.args) > index:
                given = [node.args[index]]
            found = _literal(given[0]) if given else None
            if found is None:
                unread.append(f"{path.relative_to(src)}:{node.lineno}")
            codes.update(prefix + code for code in found or [])
    return codes, unread


# Codes that come from a variable rather than a literal, and where the variable's values are listed.
def _variable_codes() -> tuple[set[str], set[str]]:
    from shuren.points.models import TransactionKind
    from shuren.volunteering.services.profiles import DECISIONS

    codes = {f"points.{kind}" for kind in TransactionKind.values} | {f"volunteering.{d}" for d in DECISIONS}
    return codes, {"volunteering/services/profiles.py", "points/"}


def test_every_action_the_sources_record_has_a_label():
    codes, unread = recorded_actions(SRC)
    variable, places = _variable_codes()
    unexplained = [u for u in unread if not any(u.startswith(p) for p in places)]
    assert unexplained == [], "an audit code the test cannot read: list its values in _variable_codes"
    missing = sorted(code for code in codes | variable if code not in ACTION_LABELS)
    assert missing == [], f"add labels to shuren.audit.labels.ACTION_LABELS: {missing}"
    assert len(codes) > 200  # the reader finds the codes (it would pass vacuously otherwise)


def test_the_reader_finds_codes_of_every_kind(tmp_path):
    app = tmp_path / "demo"
    app.mkdir()
    (app / "services.py").write_text(
        "def audit(action, *, actor):\n"
        "    record_event(f'demo.{action}', actor=actor)\n"
        "def go(actor, ok):\n"
        "    record_event('demo.plain')\n"
        "    record_event('demo.yes' if ok else 'demo.no')\n"
        "    audit('helped', actor=actor)\n"
        "    audit(action='named', actor=actor)\n"
        "    audit(some_variable, actor=actor)\n"
    )
    (app / "exports.py").write_text("class E:\n    name = 'demo.export'\n")
    codes, unread = recorded_actions(tmp_path)
    assert codes == {"demo.plain", "demo.yes", "demo.no", "demo.helped", "demo.named", "demo.export"}
    assert unread == ["demo/services.py:8"]


def test_labels_are_translated():
    with translation.override("zh-hans"):
        assert action_label("auth.login") == "登录成功"
        assert action_label("people.export") == "导出居民名单"
