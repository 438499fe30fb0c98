"""CSRF, headers, cookies, size limits and the error pages."""

import pytest

from journal.writers import set_writer_password

from .conftest import WRITER, csrf_token_from


@pytest.fixture
def csrf_client(csrf_app):
    with csrf_app.app_context():
        set_writer_password(*WRITER)
    client = csrf_app.test_client()
    token = csrf_token_from(client.get("/login").text)
    response = client.post(
        "/login", data={"username": WRITER[0], "password": WRITER[1], "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def test_a_post_without_a_csrf_token_is_refused_with_a_clear_400(csrf_client):
    response = csrf_client.post("/write/new", data={"title": "x", "action": "save"})
    assert response.status_code == 400
    assert "security token is missing" in response.text
    assert "<nav" in response.text


def test_a_wrong_csrf_token_is_refused(csrf_client):
    response = csrf_client.post(
        "/write/new", data={"title": "x", "action": "save", "csrf_token": "forged"}
    )
    assert response.status_code == 400
    assert "CSRF" in response.text


def test_htmx_requests_send_the_token_in_a_header(csrf_client):
    page = csrf_client.get("/write/new").text
    token = csrf_token_from(page)
    assert f'data-hx-headers=\'{{"X-CSRFToken": "{token}"}}\'' in page
    refused = csrf_client.post(
        "/write/preview", data={"body": "hi"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 400 and "<body" not in refused.text
    accepted = csrf_client.post(
        "/write/preview",
        data={"body": "*hi*"},
        headers={"HX-Request": "true", "X-CSRFToken": token},
    )
    assert accepted.status_code == 200 and "<em>hi</em>" in accepted.text


def test_login_itself_needs_the_token(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400


def test_logout_is_a_post_with_csrf(csrf_client):
    assert csrf_client.get("/logout").status_code == 405
    assert csrf_client.post("/logout").status_code == 400
    assert csrf_client.get("/write/").status_code == 200


def test_security_headers_on_every_page(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_carry_no_inline_script_and_no_third_party_url(client, writer):
    for url in ["/", "/write/new", "/write/", "/login"]:
        html = client.get(url).text
        assert "<script>" not in html and "onclick" not in html and "style=" not in html
        assert "http://" not in html.replace("http://localhost", "")
        assert "https://" not in html


def test_session_cookie_is_httponly_and_samesite_lax(writer, client):
    writer.logout()
    response = writer.login()
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_too_large_request_gets_the_413_page(client, writer):
    response = client.post("/write/new", data={"body": "x" * (9 * 1024 * 1024)})
    assert response.status_code == 413
    assert "larger than the journal accepts" in response.text and "<nav" in response.text


@pytest.mark.parametrize(("code", "words"), [(403, "Forbidden"), (404, "Not found")])
def test_error_pages_have_the_site_look(app, client, code, words):
    from flask import abort

    app.add_url_rule(f"/boom{code}", f"boom{code}", lambda: abort(code))
    response = client.get(f"/boom{code}")
    assert response.status_code == code
    assert f"{code} · {words}" in response.text and "<nav" in response.text


def test_an_unexpected_error_gets_the_500_page(make_app):
    app = make_app(TESTING=False, WTF_CSRF_ENABLED=False)

    def broken():
        raise RuntimeError("kaboom")

    app.add_url_rule("/broken", "broken", broken)
    response = app.test_client().get("/broken")
    assert response.status_code == 500
    assert "Something went wrong" in response.text and "kaboom" not in response.text


def test_the_secret_key_is_generated_once_and_private(make_app, tmp_path, monkeypatch):
    import os
    import stat

    from journal import create_app

    instance = tmp_path / "fresh-instance"
    monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(instance))
    monkeypatch.delenv("JOURNAL_SECRET_KEY", raising=False)
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    key_file = instance / "secret_key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(instance).st_mode) == 0o700
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert first.secret_key == second.secret_key == key_file.read_text()
    monkeypatch.setenv("JOURNAL_SECRET_KEY", "from-the-environment")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).secret_key == "from-the-environment"


def test_htmx_is_configured_safe_and_without_inheritance(client, writer):
    import html
    import json
    import re

    page = client.get("/").text
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page)
    config = json.loads(html.unescape(meta.group(1)))
    assert config["selfRequestsOnly"] is True
    assert config["allowEval"] is False and config["allowScriptTags"] is False
    assert config["includeIndicatorStyles"] is False
    # Like htmx 4: nothing is inherited but the CSRF header on <body> (the writer's pages only).
    assert config["disableInheritance"] is True
    assert '<body data-hx-inherit="hx-headers" data-hx-headers=' in page
    rules = {rule["code"]: rule for rule in config["responseHandling"]}
    assert rules["422"]["swap"] is True and rules["409"]["swap"] is True
    assert rules["[45].."]["error"] is True
