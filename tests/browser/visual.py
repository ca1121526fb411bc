"""Screenshots compared with reviewed references (tests/browser/screenshots/<name>.png).

A screenshot is taken once the page is still: loaded, web fonts ready, CSS animations and transitions
finished (Playwright's ``animations="disabled"``), the text caret hidden, and, on a page that draws
on a canvas (charts), two captures in a row identical. Volatile regions are painted over in one flat
colour first: ``<time>`` elements, anything marked ``data-volatile``, and the selectors a test adds.
Pages are captured whole, down to MAX_HEIGHT.

The comparison tolerates what rendering may legitimately vary by (anti-aliasing, the 256 colours a
reference is stored in): a pixel counts as different when one of its channels differs by more than
``Tolerance.channel``; the page fails when more than ``Tolerance.ratio`` of its pixels differ, or when
its width or height differs by more than ``Tolerance.size_px``. A failure leaves, in
test-artifacts/screenshots/, the actual capture, the reference and a diff image (the reference faded
to grey, the differing pixels in red).

``SHUREN_UPDATE_SCREENSHOTS=1`` writes the captures as the new references instead of comparing them
(only those whose pixels changed, so that an update touches only the pages that moved); review them
with ``git diff`` before committing (tests/browser/screenshots/README.md).
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops

REFERENCES = Path(__file__).with_name("screenshots")
UPDATE_VARIABLE = "SHUREN_UPDATE_SCREENSHOTS"
# Painted over volatile regions: a colour no page of ours uses, so that it reads as "masked".
MASK_COLOUR = "#ff00ff"
VOLATILE = ("time", "[data-volatile]")
# The longest page kept (CSS pixels): what a user scrolls through on a list, and references stay small.
MAX_HEIGHT = 2400


@dataclass(frozen=True)
class Tolerance:
    channel: int = 32  # 0-255: a pixel differs when one of its channels differs by more than this
    ratio: float = 0.005  # the share of differing pixels a page may have
    size_px: int = 4  # how far width and height may differ from the reference


EXACT = Tolerance(channel=0, ratio=0.0, size_px=0)


@dataclass(frozen=True)
class Comparison:
    differing: int  # pixels over the channel threshold, within the area both images cover
    total: int
    size: tuple[int, int]
    reference_size: tuple[int, int]
    diff: Image.Image

    @property
    def ratio(self) -> float:
        return self.differing / self.total if self.total else 0.0

    def within(self, tolerance: Tolerance) -> bool:
        width_ok = abs(self.size[0] - self.reference_size[0]) <= tolerance.size_px
        height_ok = abs(self.size[1] - self.reference_size[1]) <= tolerance.size_px
        return width_ok and height_ok and self.ratio <= tolerance.ratio

    def describe(self) -> str:
        return (
            f"{self.differing} of {self.total} pixels differ ({self.ratio:.2%}); "
            f"size {self.size[0]}x{self.size[1]}, reference {self.reference_size[0]}x{self.reference_size[1]}"
        )


def updating() -> bool:
    return os.environ.get(UPDATE_VARIABLE, "") not in ("", "0")


def artifacts_folder() -> Path:
    return Path(os.environ.get("SHUREN_TEST_ARTIFACTS", "test-artifacts")) / "screenshots"


def capture(page: Any, *, full_page: bool = True, mask: Iterable[str] = (), attempts: int = 12) -> Image.Image:
    """The page as an RGB image (see the module's notes)."""
    page.wait_for_load_state("load")
    page.evaluate("() => document.fonts.ready.then(() => true)")
    clip = None
    if full_page:
        height = page.evaluate("() => document.documentElement.scrollHeight")
        clip = {"x": 0, "y": 0, "width": page.viewport_size["width"], "height": min(height, MAX_HEIGHT)}
    locator = page.locator(", ".join((*VOLATILE, *mask)))
    options = {"full_page": full_page, "clip": clip, "animations": "disabled", "caret": "hide", "scale": "css"}
    png = page.screenshot(mask=[locator], mask_color=MASK_COLOUR, **options)
    if page.locator("canvas").count():
        # A chart draws its entrance frame by frame: look again until nothing moves.
        for _ in range(attempts):
            page.wait_for_timeout(200)
            again = page.screenshot(mask=[locator], mask_color=MASK_COLOUR, **options)
            if again == png:
                break
            png = again
        else:
            raise AssertionError(f"{page.url} never stood still for two captures in a row")
    return Image.open(io.BytesIO(png)).convert("RGB")


def compare(actual: Image.Image, reference: Image.Image, tolerance: Tolerance = Tolerance()) -> Comparison:
    """Compare the area both images cover; a difference in size is reported, not compared pixel by pixel."""
    width = min(actual.width, reference.width)
    height = min(actual.height, reference.height)
    left = actual.convert("RGB").crop((0, 0, width, height))
    right = reference.convert("RGB").crop((0, 0, width, height))
    red, green, blue = ImageChops.difference(left, right).split()
    largest = ImageChops.lighter(ImageChops.lighter(red, green), blue)  # each pixel's largest channel change
    over = largest.point(lambda value: 255 if value > tolerance.channel else 0)
    diff = Image.blend(right.convert("L").convert("RGB"), Image.new("RGB", right.size, "white"), 0.6)
    diff.paste(Image.new("RGB", right.size, (230, 0, 0)), mask=over)
    return Comparison(
        differing=over.histogram()[255],
        total=width * height,
        size=actual.size,
        reference_size=reference.size,
        diff=diff,
    )


def stored(image: Image.Image) -> Image.Image:
    """``image`` as a reference is kept: 256 colours (a screen of text and flat colours loses next to
    nothing, and the file is a third of the size)."""
    return image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def save_png(image: Image.Image, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", optimize=True)


def reference_path(name: str) -> Path:
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", name):
        raise ValueError(f"a screenshot's name is lower-case letters, digits, '-', '_' and '.': {name!r}")
    return REFERENCES / f"{name}.png"


def check(actual: Image.Image, name: str, tolerance: Tolerance = Tolerance()) -> str | None:
    """Compare ``actual`` with the reference ``name``: None when it matches, else what is wrong.

    When updating (SHUREN_UPDATE_SCREENSHOTS=1), write ``actual`` as the reference if a pixel of it
    changed, and return None."""
    path = reference_path(name)
    if updating():
        new = stored(actual)
        if not path.exists() or not compare(new, Image.open(path), EXACT).within(EXACT):
            save_png(new, path)
        return None
    folder = artifacts_folder()
    if not path.exists():
        save_png(actual, folder / f"{name}.actual.png")
        return f"{name}: no reference {path.name} yet (run with {UPDATE_VARIABLE}=1 to write it, then review it)"
    reference = Image.open(path)
    comparison = compare(actual, reference, tolerance)
    if comparison.within(tolerance):
        return None
    save_png(actual, folder / f"{name}.actual.png")
    save_png(reference.convert("RGB"), folder / f"{name}.reference.png")
    save_png(comparison.diff, folder / f"{name}.diff.png")
    return f"{name}: {comparison.describe()}; see {folder / name}.diff.png"


def assert_matches_reference(
    page: Any, name: str, *, full_page: bool = True, mask: Iterable[str] = (), tolerance: Tolerance = Tolerance()
) -> None:
    """Capture the page and fail unless it matches the reference ``name`` (see the module's notes)."""
    problem = check(capture(page, full_page=full_page, mask=mask), name, tolerance)
    assert problem is None, problem
