"""Markup the Nu HTML Checker would refuse, caught without Java: htmx attributes are data-hx-*
(tools/rename_hx.py renames any that come back) and a <summary> has no role."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BARE_HX = re.compile(r"(?<![\w-])hx-[a-z][a-z-]*\s*=|[\"']hx-[a-z][a-z-]*[\"']\s*:")


def test_templates_use_data_hx_attributes_and_summaries_without_role():
    found = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.name}: {m.group(0)}" for m in BARE_HX.finditer(text)]
        found += [f"{path.name}: {m.group(0)}" for m in re.finditer(r"<summary[^>]*\brole=", text)]
    assert not found, "run `python3 -m tools.rename_hx`:\n" + "\n".join(found)


def test_pages_carry_no_bare_hx_attribute(client, writer, sample_review):
    review_id = sample_review("Night Shift")
    for url in ("/", "/write/", f"/write/{review_id}", "/search", "/write/tags/"):
        page = client.get(url).text
        assert not BARE_HX.search(page), url
