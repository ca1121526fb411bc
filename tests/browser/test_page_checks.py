"""The checks the browser journeys run on every page: axe-core finds what it should and says where and
how to fix it, under the application's Content Security Policy too; screenshots mask what changes
from run to run, wait for a chart to stop moving, and are compared with their reference within the
tolerance, leaving the images to look at when they differ; updating rewrites only what moved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.browser import visual
from tests.browser.a11y import Known, assert_accessible, blocking, run_axe

PAGE = """<!doctype html><html lang="en"><head><title>Form</title></head><body><main>
<h1>Report a problem</h1>
<input id="where" name="where">
<p style="color:#bbbbbb;background:#ffffff">Answered within three working days</p>
<label for="what">What happened</label><textarea id="what"></textarea>
</main></body></html>"""


def test_axe_names_each_serious_violation_with_its_element_and_fix(page: Any) -> None:
    page.set_content(PAGE)
    violations = run_axe(page)
    by_rule = {violation.rule: violation for violation in violations}
    assert by_rule["label"].impact == "critical"
    assert by_rule["label"].target == "#where"
    assert by_rule["color-contrast"].impact == "serious"
    assert "dequeuniversity.com" in by_rule["color-contrast"].help_url
    assert "#what" not in {violation.target for violation in violations}  # labelled: no complaint

    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, where="the test form")
    message = str(failure.value)
    assert "2 serious or critical accessibility violation(s) on the test form" in message
    assert "[critical] label: Form elements must have labels" in message
    assert "at #where" in message
    assert "insufficient color contrast" in message  # axe's own account of what to fix


def test_a_known_violation_is_accepted_only_on_the_elements_it_names(page: Any) -> None:
    page.set_content(PAGE)
    violations = run_axe(page)
    accepted = blocking(violations, [Known("label", "#where", why="another task rebuilds this form")])
    assert [violation.rule for violation in accepted] == ["color-contrast"]
    assert sorted(v.rule for v in blocking(violations, [Known("label", "#elsewhere")])) == ["color-contrast", "label"]
    assert_accessible(page, known=[Known("label", "#where"), Known("color-contrast", "three working days")])


@pytest.mark.django_db(transaction=True)
def test_axe_runs_under_the_applications_content_security_policy(page: Any, live_server: Any) -> None:
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    # The policy refuses an inline script, which is how a test would usually bring axe in...
    with pytest.raises(Exception, match="Content Security Policy|Refused"):
        page.add_script_tag(content="window.injected = true")
    assert page.evaluate("() => typeof window.injected") == "undefined"
    # ...while axe, evaluated through the DevTools protocol, runs on the page as the policy keeps it.
    assert isinstance(run_axe(page), list)
    assert page.evaluate("() => typeof window.axe.run") == "function"
    assert_accessible(page)


def _image(size: tuple[int, int] = (200, 100), box: tuple[int, int, int, int] | None = None) -> Image.Image:
    image = Image.new("RGB", size, "white")
    if box:
        ImageDraw.Draw(image).rectangle(box, fill=(179, 38, 30))
    return image


def test_comparison_tolerates_faint_noise_and_catches_a_changed_region() -> None:
    reference = _image(box=(10, 10, 40, 40))
    same = visual.compare(_image(box=(10, 10, 40, 40)), reference)
    assert same.differing == 0 and same.within(visual.Tolerance())

    faint = reference.point(lambda value: max(0, value - 20))  # anti-aliasing-sized change everywhere
    assert visual.compare(faint, reference).differing == 0

    moved = visual.compare(_image(box=(60, 10, 90, 40)), reference)  # the box moved: 2 x 31 x 31 pixels
    assert moved.differing == 2 * 31 * 31
    assert not moved.within(visual.Tolerance())
    assert moved.within(visual.Tolerance(ratio=0.2))
    assert moved.diff.getpixel((20, 20)) == (230, 0, 0)  # the differing pixels are red in the diff image

    taller = visual.compare(_image((200, 110), box=(10, 10, 40, 40)), reference)
    assert taller.differing == 0 and not taller.within(visual.Tolerance())
    assert visual.compare(_image((200, 103), box=(10, 10, 40, 40)), reference).within(visual.Tolerance())


@pytest.fixture
def folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    references, artifacts = tmp_path / "references", tmp_path / "artifacts"
    monkeypatch.setattr(visual, "REFERENCES", references)
    monkeypatch.setenv("SHUREN_TEST_ARTIFACTS", str(artifacts))
    monkeypatch.delenv(visual.UPDATE_VARIABLE, raising=False)
    return references, artifacts / "screenshots"


def test_a_page_without_reference_fails_until_one_is_written_on_purpose(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    references, artifacts = folders
    problem = visual.check(_image(box=(10, 10, 40, 40)), "resident-home-phone")
    assert problem is not None and "no reference" in problem and "SHUREN_UPDATE_SCREENSHOTS=1" in problem
    assert (artifacts / "resident-home-phone.actual.png").exists()
    assert not references.exists()

    monkeypatch.setenv(visual.UPDATE_VARIABLE, "1")
    assert visual.check(_image(box=(10, 10, 40, 40)), "resident-home-phone") is None
    written = references / "resident-home-phone.png"
    assert written.exists()
    monkeypatch.delenv(visual.UPDATE_VARIABLE)
    assert visual.check(_image(box=(10, 10, 40, 40)), "resident-home-phone") is None


def test_a_changed_page_fails_with_the_actual_reference_and_diff_images(folders: tuple[Path, Path]) -> None:
    references, artifacts = folders
    visual.save_png(visual.stored(_image(box=(10, 10, 40, 40))), references / "staff-home-desktop.png")
    problem = visual.check(_image(box=(60, 10, 90, 40)), "staff-home-desktop")
    assert problem is not None and "1922 of 20000 pixels differ (9.61%)" in problem
    for kind in ("actual", "reference", "diff"):
        assert (artifacts / f"staff-home-desktop.{kind}.png").exists()
    with pytest.raises(ValueError):
        visual.check(_image(), "../outside")


def test_updating_rewrites_only_the_references_whose_pixels_changed(
    folders: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    references, _ = folders
    monkeypatch.setenv(visual.UPDATE_VARIABLE, "1")
    visual.check(_image(box=(10, 10, 40, 40)), "still")
    visual.check(_image(box=(10, 10, 40, 40)), "moved")
    still, moved = references / "still.png", references / "moved.png"
    before = still.read_bytes()
    still.touch()
    stamp = still.stat().st_mtime_ns
    visual.check(_image(box=(10, 10, 40, 40)), "still")
    visual.check(_image(box=(12, 10, 42, 40)), "moved")
    assert still.stat().st_mtime_ns == stamp and still.read_bytes() == before
    assert visual.compare(Image.open(moved), _image(box=(12, 10, 42, 40)), visual.EXACT).differing == 0


def test_capture_masks_volatile_regions_and_waits_for_a_chart_to_stand_still(page: Any) -> None:
    page.set_viewport_size({"width": 320, "height": 200})
    page.set_content(
        """<body style="margin:0;background:#fff">
        <p style="margin:0;height:40px">Updated <time datetime="2026-11-16">just now</time></p>
        <div data-volatile style="height:40px;background:#000">token</div>
        <canvas width="320" height="60"></canvas>
        <script>
          // A chart's entrance: a bar grows for about a second, then stays.
          const context = document.querySelector("canvas").getContext("2d");
          let width = 0;
          const grow = () => { width += 8; context.fillStyle = "#b3261e"; context.fillRect(0, 10, width, 40);
                               if (width < 240) { setTimeout(grow, 30); } };
          grow();
        </script></body>"""
    )
    image = visual.capture(page)
    assert image.size == (320, 200)
    time_box = page.locator("time").bounding_box()
    centre = (int(time_box["x"] + time_box["width"] / 2), int(time_box["y"] + time_box["height"] / 2))
    assert image.getpixel(centre) == (255, 0, 255)  # masked
    assert image.getpixel((5, 60)) == (255, 0, 255)  # the data-volatile block, masked
    assert image.getpixel((235, 110)) == (179, 38, 30)  # the bar at its full width, not mid-growth
