"""Every page and state (tools/pages.py) at phone and desktop widths, and through the checkers.

At 390 px nothing scrolls sideways and the header keeps to two rows; the Nu HTML Checker finds no
error in any page's HTML; axe-core finds nothing serious or critical, in the light and the dark
scheme. The checkers are npm packages (package.json): without them, or without Java, these
tests skip with a reason on a laptop and fail in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from journal.extensions import db
from tools.demo import seed
from tools.pages import Server, Site, walk

from ..conftest import engine_independent

pytestmark = engine_independent

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# The header's visible controls, grouped into rows by their vertical middle. The writer's menu,
# once opened on a phone, floats over the page and is not a row of the header.
HEADER = """() => {
  const rows = [];
  for (const el of document.querySelectorAll(
      "body > header :is(a, button, summary, input)")) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const menu = el.closest(".writer-links");
    if (menu && getComputedStyle(menu).position === "absolute") continue;
    const middle = box.top + box.height / 2;
    if (!rows.some(row => Math.abs(row - middle) < 12)) rows.push(middle);
  }
  return {
    rows: rows.length,
    height: document.querySelector("body > header").getBoundingClientRect().height,
    scrollWidth: document.scrollingElement.scrollWidth,
    innerWidth: window.innerWidth,
  };
}"""


def needed(path: Path, what: str) -> None:
    """Skip (fail in CI) when a checker is not installed."""
    missing = None
    if not path.exists():
        missing = f"{path.relative_to(ROOT)} not found: run `npm ci` for {what}"
    elif path == VNU and not shutil.which("java"):
        missing = "java not found: the Nu HTML Checker needs Java (apt-get install default-jre)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(missing)
        pytest.skip(missing)


@pytest.fixture
def site(make_app):
    app = make_app(TESTING=False)
    with app.app_context():
        demo = seed()
        db.session.remove()
    server = Server(app)
    yield Site(app=app, url=server.url, demo=demo)
    server.stop()


def test_every_page_fits_a_phone_and_the_header_keeps_to_two_rows(browser, site):
    problems = []

    def measure(state, page, html):
        found = page.evaluate(HEADER)
        if found["scrollWidth"] > found["innerWidth"]:
            problems.append(f"{state.name}: scrolls sideways ({found['scrollWidth']} px wide)")
        if found["rows"] > 2 or found["height"] > 130:
            problems.append(f"{state.name}: header in {found['rows']} rows, {found['height']} px")

    errors = walk(browser, site, PHONE, "light", measure)
    assert not problems, "\n".join(problems)
    assert not errors


def test_desktop_header_keeps_the_writers_tools_in_one_row(browser, site):
    rows = {}

    def measure(state, page, html):
        rows[state.name] = page.evaluate(HEADER)["rows"]

    walk(browser, site, DESKTOP, "light", measure, only="dashboard")
    assert rows == {"dashboard": 2}


def validate(pages: dict[str, str], folder: Path) -> list[str]:
    for name, html in pages.items():
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    run = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            "--exit-zero-always",
            *sorted(str(p) for p in folder.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    return [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']} "
        f"[{m.get('extract', '').strip()}]"
        for m in messages
        if m["type"] == "error"
    ]


AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_the_html_checker_and_axe(browser, site, scheme, tmp_path):
    needed(AXE, "axe-core")
    if scheme == "light":
        needed(VNU, "the Nu HTML Checker")
    axe = AXE.read_text(encoding="utf-8")
    served, violations = {}, []

    def check(state, page, html):
        served[state.name] = html if html is not None else page.content()
        page.add_script_tag(content=axe)
        violations.extend(f"{state.name}: {v}" for v in page.evaluate(AXE_RUN))

    # bypass_csp lets the test add axe's script; the pages themselves are served as always.
    errors = walk(browser, site, DESKTOP, scheme, check, bypass_csp=True)
    assert not violations, "\n".join(violations)
    assert not errors
    if scheme == "light":
        assert len(served) >= 25
        problems = validate(served, tmp_path)
        assert not problems, f"{len(problems)} HTML errors:\n" + "\n".join(problems)
