"""The extension point of the building leader's page (orgs.panels): apps above orgs add panels
without orgs importing them."""

from __future__ import annotations

from shuren.orgs import panels


def test_a_panel_answers_a_template_or_nothing_and_registers_once(monkeypatch) -> None:
    monkeypatch.setattr(panels, "_PANELS", [])

    def shown(user, buildings):
        return ("x.html", {"n": len(buildings)})

    def hidden(user, buildings):
        return None

    panels.register_building_panel(shown)
    panels.register_building_panel(shown)
    panels.register_building_panel(hidden)
    assert panels.building_panels(None, ["a", "b"]) == [("x.html", {"n": 2})]


def test_the_notices_app_fills_the_registry_when_django_starts() -> None:
    from shuren.notices.panels import unreached_panel

    assert unreached_panel in panels._PANELS
