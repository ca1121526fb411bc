"""Accessibility checks in the browser tests: axe-core (vendored in vendor/, see VERSIONS.md) run on the
page a test has open, for the WCAG 2.0 and 2.1 A and AA rules.

A page passes when axe finds no violation of impact "serious" or "critical". The minor and moderate
ones are still returned by :func:`run_axe` for whoever wants to read them.

axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's Content Security
Policy (``script-src 'self'``) does not govern: the page under test keeps its real policy, so that a
style or script the policy would block stays blocked in the test too.

Usage::

    from tests.browser.a11y import assert_accessible

    assert_accessible(page)                         # fails with a readable list
    violations = run_axe(page)                      # every violation, all impacts
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

AXE_PATH = Path(__file__).with_name("vendor") / "axe.min.js"
# The WCAG 2.0 and 2.1 success criteria at levels A and AA (GB/T 37668 follows WCAG 2.0 AA).
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@dataclass(frozen=True)
class Violation:
    """One axe rule broken by one element of the page."""

    rule: str
    impact: str
    help: str
    help_url: str
    target: str  # the CSS selector axe gives for the element (frames joined by " >>> ")
    html: str
    summary: str  # axe's "Fix any of the following / all of the following" for this element

    def describe(self) -> str:
        lines = [f"[{self.impact}] {self.rule}: {self.help}", f"    at {self.target}", f"    {self.html[:200]}"]
        lines += [f"    {line}" for line in self.summary.splitlines() if line.strip()][:4]
        lines.append(f"    {self.help_url}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Known:
    """A violation the test accepts for now: ``rule`` on elements whose selector or HTML contains
    ``element`` (an empty ``element`` accepts the rule anywhere). ``why`` says whose fix it waits for."""

    rule: str
    element: str = ""
    why: str = ""

    def covers(self, violation: Violation) -> bool:
        return violation.rule == self.rule and (self.element in violation.target or self.element in violation.html)


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise RuntimeError(f"{AXE_PATH} is missing: run scripts/vendor-test-assets.sh")
    return AXE_PATH.read_text(encoding="utf-8")


def inject_axe(page: Any) -> None:
    """Define ``window.axe`` in the page (once per document)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # A bare script (not a function): Playwright evaluates it as it is, in the page's main world.
        page.evaluate(axe_source() + "\n;undefined")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        raise RuntimeError("axe-core did not load into the page")


def run_axe(page: Any, *, tags: Iterable[str] = AXE_TAGS, exclude: Iterable[str] = ()) -> list[Violation]:
    """Every violation axe finds on the page as it is now, one per element, in axe's order."""
    inject_axe(page)
    options = {"runOnly": {"type": "tag", "values": list(tags)}, "resultTypes": ["violations"]}
    context: dict[str, Any] = {"include": [["html"]]}
    excluded = [[selector] for selector in exclude]
    if excluded:
        context["exclude"] = excluded
    result = page.evaluate(
        "([context, options]) => window.axe.run(context, options).then(r => r.violations)", [context, options]
    )
    violations = []
    for rule in result:
        for node in rule["nodes"]:
            violations.append(
                Violation(
                    rule=rule["id"],
                    impact=node.get("impact") or rule.get("impact") or "unknown",
                    help=rule["help"],
                    help_url=rule["helpUrl"],
                    target=" >>> ".join(_selector(part) for part in node["target"]),
                    html=" ".join(node.get("html", "").split()),
                    summary=node.get("failureSummary", ""),
                )
            )
    return violations


def _selector(part: Any) -> str:
    # axe gives a string per frame, or a list of strings for a selector inside a shadow root.
    return " > ".join(part) if isinstance(part, list) else str(part)


def blocking(violations: Iterable[Violation], known: Iterable[Known] = ()) -> list[Violation]:
    """The serious and critical violations that no ``known`` entry covers."""
    known = tuple(known)
    return [
        violation
        for violation in violations
        if violation.impact in BLOCKING_IMPACTS and not any(entry.covers(violation) for entry in known)
    ]


def describe(violations: Iterable[Violation], where: str = "") -> str:
    violations = list(violations)
    heading = f"{len(violations)} serious or critical accessibility violation(s)" + (f" on {where}" if where else "")
    return heading + ":\n" + "\n".join(violation.describe() for violation in violations)


def assert_accessible(page: Any, *, known: Iterable[Known] = (), where: str = "") -> None:
    """Fail when axe finds a serious or critical violation on the page (other than ``known`` ones)."""
    found = blocking(run_axe(page), known)
    assert not found, describe(found, where or page.url)
