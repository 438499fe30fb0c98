"""Setup link, login and logout, rate limiting, safe `next` redirects, writer-only URLs."""

import pytest

from journal.extensions import db  # noqa: F401  (app context users below)
from journal.web.auth import safe_next
from journal.writers import issue_setup_token, writer_exists


def setup_link(app) -> str:
    with app.app_context():
        return f"/setup/{issue_setup_token()}"


def test_setup_link_creates_the_writer_once(app, client):
    link = setup_link(app)
    page = client.get(link)
    assert page.status_code == 200
    assert "Create writer" in page.text and "Confirm password" in page.text

    response = client.post(
        link, data={"username": "hana", "password": "long enough", "confirm": "long enough"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert writer_exists()
    assert client.get("/write/").status_code == 200  # logged in straight away

    client.post("/logout")
    assert client.get(link).status_code == 404  # the link stops working after use
    assert (
        client.post("/login", data={"username": "hana", "password": "long enough"}).status_code
        == 302
    )


def test_setup_link_with_a_wrong_token_is_not_found(app, client):
    setup_link(app)
    assert client.get("/setup/not-the-token").status_code == 404


def test_setup_rejects_mismatched_passwords_and_keeps_the_username(app, client):
    link = setup_link(app)
    response = client.post(
        link, data={"username": "hana", "password": "long enough", "confirm": "other"}
    )
    assert response.status_code == 422
    assert "The passwords do not match." in response.text
    assert 'value="hana"' in response.text
    with app.app_context():
        assert not writer_exists()


def test_login_and_logout(writer, client):
    assert client.get("/write/").status_code == 200
    assert "Log out" in client.get("/").text
    response = writer.logout()
    assert response.status_code == 302
    assert client.get("/write/").status_code == 302


def test_wrong_password_is_refused_with_a_message(writer, client):
    writer.logout()
    response = writer.login(password="wrong")
    assert response.status_code == 401
    assert "Wrong username or password." in response.text
    assert client.get("/write/").status_code == 302


def test_failed_logins_are_rate_limited(writer, client):
    writer.logout()
    for _ in range(6):  # the limit, then one slowed try (tests/test_sessions.py)
        assert writer.login(password="wrong").status_code == 401
    response = writer.login()  # the right password waits its turn too
    assert response.status_code == 429
    assert "Too many failed logins" in response.text
    assert "<nav" in response.text  # the site's look, not a bare error


def test_rate_limit_is_per_client(writer, app):
    writer.logout()
    for _ in range(7):
        writer.login(password="wrong")
    other = app.test_client()
    response = other.post(
        "/login",
        data={"username": "writer", "password": "correct horse battery"},
        environ_base={"REMOTE_ADDR": "10.9.9.9"},
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/write/1", "/write/1"),
        ("/reviews/x?page=2", "/reviews/x?page=2"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("", None),
        (None, None),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected


def test_login_follows_next_only_inside_the_site(writer, client):
    writer.logout()
    response = client.post(
        "/login?next=https://evil.example/",
        data={"username": "writer", "password": "correct horse battery"},
    )
    assert response.headers["Location"] == "/write/"
    writer.logout()
    response = client.post(
        "/login?next=/write/new", data={"username": "writer", "password": "correct horse battery"}
    )
    assert response.headers["Location"] == "/write/new"


@pytest.mark.parametrize("url", ["/write/", "/write/new", "/write/1", "/write/1/delete"])
def test_writer_urls_redirect_visitors_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_htmx_request_from_a_visitor_gets_hx_redirect(client):
    response = client.post(
        "/write/preview",
        data={"body": "x"},
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/write/new"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/login?next=/write/new"
    assert "<body" not in response.text


def test_set_password_command_creates_and_resets_the_writer(app, runner, client):
    result = runner.invoke(
        args=["writer", "set-password", "mina"], input="first pass\nfirst pass\n"
    )
    assert result.exit_code == 0, result.output
    assert (
        client.post("/login", data={"username": "mina", "password": "first pass"}).status_code
        == 302
    )
    client.post("/logout")

    result = runner.invoke(args=["writer", "set-password"], input="second pass\nsecond pass\n")
    assert result.exit_code == 0, result.output
    assert (
        client.post("/login", data={"username": "mina", "password": "first pass"}).status_code
        == 401
    )
    assert (
        client.post("/login", data={"username": "mina", "password": "second pass"}).status_code
        == 302
    )


def test_set_password_refuses_a_short_password(runner):
    result = runner.invoke(args=["writer", "set-password", "mina"], input="short\nshort\n")
    assert result.exit_code != 0
    assert "at least 8 characters" in result.output
