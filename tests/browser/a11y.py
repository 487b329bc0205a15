"""Accessibility checks in the browser tests: axe-core (vendored, tests/browser/vendor) run on the page as a
person sees it. `assert_accessible(page)` fails on any serious or critical violation and names each one."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
BLOCKING = ("serious", "critical")


def violations(page, impacts=BLOCKING) -> list[dict]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(" ")).slice(0, 5)}));
    }""")
    return [v for v in found if v["impact"] in impacts]


def assert_accessible(page) -> None:
    found = violations(page)
    assert not found, "axe-core: " + "; ".join(f"{v['id']} ({v['impact']}: {v['help']}) at {v['nodes']}"
                                              for v in found)
