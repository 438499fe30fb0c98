"""Rename htmx attributes hx-* to data-hx-* (valid HTML; htmx reads both): python -m tools.rename_hx

Templates and our Python get every attribute name renamed (`hx-post="…"` becomes
`data-hx-post="…"`, and a Jinja dict's `"hx-get": …` key too); attribute values stay
(`data-hx-inherit="hx-headers"` names the attribute as htmx knows it). Our JavaScript gets
quoted names and selectors renamed (`"hx-headers"`, `[hx-post]`). Tests are renamed the same
way, except the Markdown tests, whose hx-* is a reader's hostile input, not ours. Running it
twice changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# An attribute name (hx-post="…"), or one as a quoted key of a Jinja dict ("hx-get": …).
ATTRIBUTE = re.compile(r"(?<![\w-])hx-(?=[a-z][a-z-]*\s*=)|(?<=[\"'])hx-(?=[a-z][a-z-]*[\"']\s*:)")
QUOTED = re.compile(r"(?<=[\"'\[])hx-(?=[a-z])")
LEFT_ALONE = {"tests/test_markdown.py"}


def files() -> list[tuple[Path, re.Pattern]]:
    found = [(p, ATTRIBUTE) for p in sorted((ROOT / "templates").rglob("*.html"))]
    found += [(p, ATTRIBUTE) for p in sorted((ROOT / "journal").rglob("*.py"))]
    found += [(p, QUOTED) for p in sorted((ROOT / "static").glob("*.js"))]
    found += [(p, ATTRIBUTE) for p in sorted((ROOT / "tests").rglob("*.py"))]
    return [(p, r) for p, r in found if p.relative_to(ROOT).as_posix() not in LEFT_ALONE]


def main() -> int:
    changed = 0
    for path, pattern in files():
        text = path.read_text(encoding="utf-8")
        renamed, count = pattern.subn("data-hx-", text)
        if count:
            path.write_text(renamed, encoding="utf-8")
            changed += count
            print(f"{path.relative_to(ROOT)}: {count}")
    print(f"{changed} renamed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
