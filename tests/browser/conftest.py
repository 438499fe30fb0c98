"""Browser tests: the app served on a free local port, driven by headless Chromium.

Every test runs twice: against the development server (threaded werkzeug, as `journal run`
serves) in this process, and against the production server, `journal serve --workers 2` in its
own process on the same database, started the way README starts it. One browser per test
session, a fresh context and page per test. The production server is started once per set of
settings and test process (a start costs three Python processes) and serves one journal, which
every test finds empty again, as migrated: only the writer exists. Without Chromium the tests
skip with a reason on a laptop and fail in CI (CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from journal.writers import set_writer_password

from .. import postgres as pg
from ..conftest import ON_POSTGRES, POSTGRES_URL, WRITER, empty_journal, filled_tables
from ..servers import CommandServer

CHROMIUM = os.environ.get("JOURNAL_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if os.environ.get("CI"):
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    sync_api.expect.set_options(timeout=10_000)  # a loaded CI machine is slower than a laptop
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._thread.join()


@pytest.fixture(scope="session")
def shared_journal(tmp_path_factory, migrated_db):
    """This test process's one journal for the browser tests: (url, instance folder, the
    tables the migrations fill)."""
    instance = tmp_path_factory.mktemp("served") / "instance"
    instance.mkdir()
    if ON_POSTGRES:
        name = pg.copy_database(POSTGRES_URL, migrated_db)
        url = pg.url_of(POSTGRES_URL, name)
    else:
        shutil.copy(migrated_db, instance / "journal.db")
        url = f"sqlite:///{instance / 'journal.db'}"
    yield url, instance, filled_tables(url)
    if ON_POSTGRES:
        pg.drop_database(POSTGRES_URL, name)


@pytest.fixture
def database_url(shared_journal, production_servers):
    """The shared journal, emptied for this test (the servers stay connected)."""
    url, _instance, keep = shared_journal
    empty_journal(url, keep)
    return url


@pytest.fixture(scope="session")
def production_servers(shared_journal):
    """`journal serve` for given settings, started on first use and kept for the session."""
    _url, instance, _keep = shared_journal
    started: dict[str, CommandServer] = {}

    def server_for(settings: dict) -> CommandServer:
        key = json.dumps(settings, sort_keys=True)
        if key not in started or started[key].process.poll() is not None:
            started[key] = CommandServer(instance, settings, "serve", workers=2)
        return started[key]

    yield server_for
    for server in started.values():
        server.stop()


@pytest.fixture
def live_app(make_app):
    """CSRF on, exactly as a writer's browser meets it; autosave 400 ms after the last
    keystroke (2 s by default), as the tests wait for the status line, never for time."""
    app = make_app(TESTING=False, AUTOSAVE_DELAY_MS=400)
    with app.app_context():
        set_writer_password(*WRITER)
    return app


# What only renders (layout, colours, focus moving on the page) is checked on the production
# server alone; sessions, CSRF, caching, autosave and conflicts run on both.
rendering_only = pytest.mark.parametrize("live_server", ["serve"], indirect=True)


# On PostgreSQL the flows run on the production server only: the engine meets the same queries
# from either server, and CI's second pass stays short.
@pytest.fixture(params=["serve"] if ON_POSTGRES else ["run", "serve"])
def live_server(request, live_app, production_servers):
    """The writer exists before either server serves; `live_app` reads the same database."""
    if request.param == "serve":
        yield production_servers(live_app.test_settings)
        return
    server = LiveServer(live_app)
    yield server
    server.stop()


@pytest.fixture
def context(browser):
    context = browser.new_context()
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def writer_page(page, live_server):
    """A page on which the writer has logged in through the login form."""
    page.goto(live_server.url + "/login")
    page.get_by_label("Username", exact=True).fill(WRITER[0])
    page.get_by_label("Password", exact=True).fill(WRITER[1])
    page.get_by_role("button", name="Log in", exact=True).click()
    page.wait_for_url(live_server.url + "/write/")
    return page
