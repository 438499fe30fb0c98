"""Browser tests: the app served on a free local port, driven by headless Chromium.

Every test runs twice: against the development server (threaded werkzeug, as `journal run`
serves) in this process, and against the production server, `journal serve --workers 2` in its
own process on the same database file, started the way README starts it. One browser per test
session, a fresh context and page per test. Without Chromium the tests skip with a reason on a
laptop and fail in CI (CI=true).
"""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from journal.writers import set_writer_password

from ..conftest import ON_POSTGRES, WRITER
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


@pytest.fixture
def live_app(make_app):
    """CSRF on, exactly as a writer's browser meets it."""
    app = make_app(TESTING=False)
    with app.app_context():
        set_writer_password(*WRITER)
    return app


# On PostgreSQL the flows run on the production server only: the engine meets the same queries
# from either server, and CI's second pass stays short.
@pytest.fixture(params=["serve"] if ON_POSTGRES else ["run", "serve"])
def live_server(request, live_app):
    """The writer exists before either server starts; `live_app` reads the same database."""
    if request.param == "run":
        server = LiveServer(live_app)
    else:
        server = CommandServer(live_app.instance_path, live_app.test_settings, "serve", workers=2)
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
