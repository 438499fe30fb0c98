"""Every page and state a person meets, as steps a Playwright page can take.

The gallery screenshots each state; the page checks (tests/browser/test_pages.py) run the Nu HTML
Checker, axe-core and the phone-width checks over the same list, so the two never drift apart.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Flask
from werkzeug.serving import make_server

from journal.editing import save, snapshot
from journal.extensions import db
from journal.models import Review, Tag, Writer
from journal.revisions import data_for_save
from journal.writers import issue_setup_token, set_writer_password, writer_exists

from .demo import CAST_LIST_PASTE, IMPORT_MARKDOWN, Demo

WRITER = ("writer", "a long demo passphrase")


class Server:
    """The app on a free local port, in a thread."""

    def __init__(self, app: Flask) -> None:
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()


@dataclass
class Site:
    """A running demo journal: its app, its address and what it holds."""

    app: Flask
    url: str
    demo: Demo
    setup_token: str | None = None
    _imports: itertools.count = field(default_factory=lambda: itertools.count(1))

    def change_elsewhere(self, review_id: int) -> None:
        """Save the review as another device would, so an open editor's version is stale."""
        with self.app.app_context():
            review = db.session.get(Review, review_id)
            data = data_for_save(snapshot(review))
            data["body"] = data["body"].rstrip() + "\n\nAdded on the phone, on the bus home.\n"
            save(review, data)
            db.session.remove()

    def genre_id(self, slug: str) -> int:
        with self.app.app_context():
            tag_id = db.session.scalar(db.select(Tag.id).where(Tag.slug == slug))
            db.session.remove()
            return tag_id

    def import_file(self) -> dict:
        n = next(self._imports)
        text = IMPORT_MARKDOWN.replace("slug: song-of-the-wind", f"slug: song-of-the-wind-{n}")
        return {
            "name": f"song-of-the-wind-{n}.md",
            "mimeType": "text/markdown",
            "buffer": text.encode(),
        }

    def reset_writer(self) -> None:
        """No writer, and a fresh setup link, as on the first start."""
        with self.app.app_context():
            db.session.execute(db.delete(Writer))
            db.session.commit()
            self.setup_token = issue_setup_token()
            db.session.remove()

    def has_writer(self) -> bool:
        with self.app.app_context():
            found = writer_exists()
            db.session.remove()
            return found

    def create_writer(self) -> None:
        with self.app.app_context():
            set_writer_password(*WRITER)
            db.session.remove()

    def clear_login_throttle(self) -> None:
        throttle = self.app.extensions.get("login_throttle")
        if throttle is not None:
            throttle.clear("127.0.0.1")


@dataclass
class State:
    name: str
    who: str  # "anyone" or "writer"
    visit: Callable  # (page, site) -> the HTML the server sent, or None when built in the page


def _get(path: str | Callable[[Site], str]):
    def visit(page, site: Site):
        response = page.goto(site.url + (path(site) if callable(path) else path))
        page.wait_for_load_state("load")
        return response.text()

    return visit


def _editor(site: Site) -> str:
    return f"/write/{site.demo.garden_id}"


def _character_form(page, site: Site):
    page.goto(site.url + _editor(site))
    page.get_by_role("button", name="Add character", exact=True).click()
    page.get_by_label("Name", exact=True).wait_for()


def _cast_reader(page, site: Site):
    page.goto(site.url + _editor(site))
    page.locator("summary", has_text="Paste cast list").click()
    page.get_by_label("Cast list", exact=True).fill(CAST_LIST_PASTE)
    page.get_by_role("button", name="Read cast list", exact=True).click()
    page.locator("#cast-preview").wait_for()


def _preview(page, site: Site):
    page.goto(site.url + _editor(site))
    page.get_by_role("button", name="Preview", exact=True).click()
    page.locator("#preview .review-body").wait_for()


def _diff(page, site: Site):
    page.goto(site.url + f"/write/{site.demo.garden_id}/history")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_url("**from=*")
    page.locator(".diff").first.wait_for()
    page.wait_for_load_state("load")


def _conflict(page, site: Site):
    page.goto(site.url + f"/write/{site.demo.draft_id}")
    site.change_elsewhere(site.demo.draft_id)
    body = page.get_by_label("Body", exact=True)
    body.press("Control+End")
    body.press_sequentially(" Typed on the laptop.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("heading", name="Edit conflict", exact=True).wait_for()
    page.wait_for_load_state("load")
    page.locator("details", has_text="Differences from the saved version").locator(
        "summary"
    ).click()


def _import_check(page, site: Site):
    page.goto(site.url + "/write/import")
    page.get_by_label("Markdown or zip file", exact=True).set_input_files(site.import_file())
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator("#import-report").wait_for()
    page.wait_for_load_state("load")  # its stylesheets too, before anyone measures the layout


def _import_result(page, site: Site):
    _import_check(page, site)
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_url(lambda url: "/write/import" not in url or "confirm" not in url)
    page.wait_for_load_state("load")


def _menu_open(page, site: Site):
    page.goto(site.url + "/write/")
    summary = page.locator(".writer-menu > summary")
    if summary.is_visible():
        summary.click()


def _too_many_logins(page, site: Site):
    page.goto(site.url + "/login")
    for _ in range(site.app.config["LOGIN_ATTEMPTS_PER_MINUTE"] + 1):
        page.get_by_label("Username", exact=True).fill("someone")
        page.get_by_label("Password", exact=True).fill("not the password")
        response_page = page.get_by_role("button", name="Log in", exact=True)
        with page.expect_navigation():
            response_page.click()
        if "Too many" in page.content():
            break
    site.clear_login_throttle()


def _setup(page, site: Site):
    return page.goto(f"{site.url}/setup/{site.setup_token}").text()


STATES = [
    State("setup", "nobody", _setup),
    State("login", "anyone", _get("/login")),
    State("home", "anyone", _get("/")),
    State("review", "anyone", _get(lambda s: f"/reviews/{s.demo.garden_slug}")),
    State("genres", "anyone", _get("/tags")),
    State("diary", "anyone", _get("/diary")),
    State("genre", "anyone", _get(lambda s: f"/tags/{s.demo.genre_slug}")),
    State("search-hits", "anyone", _get(lambda s: f"/search?q={s.demo.search_hit}")),
    State("search-none", "anyone", _get(lambda s: f"/search?q={s.demo.search_miss}")),
    State("search-empty", "anyone", _get("/search")),
    State("not-found", "anyone", _get("/reviews/no-such-review")),
    State("dashboard", "writer", _get("/write/")),
    State("menu-open", "writer", _menu_open),
    State("editor-empty", "writer", _get("/write/new")),
    State("editor-filled", "writer", _get(_editor)),
    State("editor-character-form", "writer", _character_form),
    State("editor-cast-reader", "writer", _cast_reader),
    State("editor-preview", "writer", _preview),
    State("history", "writer", _get(lambda s: f"/write/{s.demo.garden_id}/history")),
    State("history-diff", "writer", _diff),
    State("conflict", "writer", _conflict),
    State("import", "writer", _get("/write/import")),
    State("import-check", "writer", _import_check),
    State("import-result", "writer", _import_result),
    State("manage-genres", "writer", _get("/write/tags/")),
    State("rename-genre", "writer", _get(lambda s: f"/write/tags/{s.genre_id('k-drama')}/rename")),
    State("merge-genre", "writer", _get(lambda s: f"/write/tags/{s.genre_id('romance')}/merge")),
    State("confirm-delete", "writer", _get(lambda s: f"/write/{s.demo.draft_id}/delete")),
    State("draft-as-writer", "writer", _get(lambda s: f"/reviews/{s.demo.draft_slug}")),
    State("review-as-writer", "writer", _get(lambda s: f"/reviews/{s.demo.garden_slug}")),
    State("too-many-logins", "anyone", _too_many_logins),
]


def walk(
    browser, site: Site, viewport: dict, scheme: str, seen: Callable, only: str = "", **options
) -> list[str]:
    """Visit every state in order, as nobody, then anyone, then the writer; call
    `seen(state, page, html)` in each (html: what the server sent, or None for a built state).
    Returns the JavaScript errors the pages raised. `options` go to each browser context.

    The journal starts each walk with no writer and a setup link, so the setup page is first.
    """
    site.reset_writer()
    errors: list[str] = []
    pages = {}
    for who in ("nobody", "anyone", "writer"):
        context = browser.new_context(viewport=viewport, color_scheme=scheme, **options)
        context.set_default_timeout(15_000)
        pages[who] = context.new_page()
        pages[who].on("pageerror", lambda error, who=who: errors.append(f"{who}: {error}"))
    try:
        for state in STATES:
            if state.who == "writer" and not site.has_writer():
                site.create_writer()
                log_in(pages["writer"], site)
            if only and only not in state.name:
                continue
            page = pages[state.who]
            seen(state, page, state.visit(page, site))
    finally:
        for page in pages.values():
            page.context.close()
    return errors


def log_in(page, site: Site) -> None:
    page.goto(site.url + "/login")
    page.get_by_label("Username", exact=True).fill(WRITER[0])
    page.get_by_label("Password", exact=True).fill(WRITER[1])
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(site.url + "/write/")
