"""Screenshots of every page and state, for a person to look at: python -m tools.gallery OUT/

Starts a throwaway journal with the demo content (tools/demo.py) in a temporary folder, then saves
one PNG per state at 1280×800 and 390×844, in the light and the dark scheme. Not a test: nothing
passes or fails here, the pictures are for eyes. Needs Playwright and Chromium, like the browser
tests (JOURNAL_CHROMIUM names another Chromium).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
SCHEMES = ("light", "dark")


def start_site(folder: Path):
    """A fresh journal in `folder` with the demo content; the server and the Site."""
    os.environ["JOURNAL_INSTANCE_PATH"] = str(folder)
    from journal import create_app
    from journal.database import upgrade_schema

    from .demo import seed
    from .pages import Server, Site

    app = create_app({"SECRET_KEY": "gallery", "TIMEZONE": "Asia/Seoul"})
    with app.app_context():
        upgrade_schema()
        demo = seed()
    server = Server(app)
    return server, Site(app=app, url=server.url, demo=demo)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.gallery", description=__doc__)
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--only", help="only states whose name contains this")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    from .pages import STATES, walk

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    chromium = os.environ.get("JOURNAL_CHROMIUM", "/usr/bin/chromium")
    count = 0
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        server, site = start_site(Path(folder))
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        numbers = {state.name: n for n, state in enumerate(STATES, start=1)}
        for size, (width, height) in SIZES.items():
            for scheme in SCHEMES:

                def shoot(state, page, html, size=size, scheme=scheme):
                    nonlocal count
                    name = f"{numbers[state.name]:02d}-{state.name}-{size}-{scheme}.png"
                    page.screenshot(path=str(args.out / name), full_page=True)
                    count += 1

                viewport = {"width": width, "height": height}
                errors = walk(browser, site, viewport, scheme, shoot, only=args.only or "")
                for error in errors:
                    print(f"JavaScript error ({size}, {scheme}): {error}", file=sys.stderr)
        browser.close()
        server.stop()
    print(f"{count} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
