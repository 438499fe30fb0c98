"""Several visitors at once on the real servers: nobody's login, token or page reaches another."""

from __future__ import annotations

import pytest

from journal.editing import new_review, save
from journal.writers import set_writer_password

from .conftest import WRITER
from .http_clients import Client
from .servers import CommandServer

SECRET_DRAFT = "Unfinished thoughts nobody else may read"


@pytest.fixture(params=["run", "run --without-threads", "serve"])
def server(request, make_app):
    app = make_app(TESTING=False)
    with app.app_context():
        set_writer_password(*WRITER)
        save(new_review(), {"title": SECRET_DRAFT, "body": "Private."}, None)
    started = CommandServer(app.instance_path, app.test_settings, *request.param.split())
    yield started
    started.stop()


def assert_is_a_visitor(client: Client) -> None:
    dashboard = client.get("/write/")
    assert dashboard.status == 302 and dashboard.location.startswith("/login")
    export = client.get("/write/export")
    assert export.status == 302 and export.location.startswith("/login")
    home = client.get("/")
    assert home.status == 200
    assert "Log out" not in home.text and "New review" not in home.text
    assert SECRET_DRAFT not in home.text


def test_several_clients_stay_apart(server):
    writer, other, visitor = Client(server.url), Client(server.url), Client(server.url)

    tokens = {writer.csrf_token(), other.csrf_token(), visitor.csrf_token()}
    assert len(tokens) == 3, "two clients received the same CSRF token"

    assert writer.log_in(*WRITER).location == "/write/"
    for _ in range(8):  # enough requests that every worker has served the writer
        page = writer.get("/write/")
        assert page.status == 200 and SECRET_DRAFT in page.text

    for _ in range(4):
        assert_is_a_visitor(visitor)
        assert_is_a_visitor(Client(server.url))

    refused = other.log_in(WRITER[0], "not the password")
    assert refused.status == 401 and "Wrong username or password." in refused.text
    assert_is_a_visitor(other)
    assert other.log_in(*WRITER).location == "/write/"
    assert SECRET_DRAFT in other.get("/write/").text

    for _ in range(4):  # the first writer's session survived all of that
        page = writer.get("/write/")
        assert page.status == 200 and SECRET_DRAFT in page.text
        assert writer.get("/write/export").headers["Content-Type"] == "application/zip"
