"""Exactly one writer; sessions end at Log out and at a new password; the login limit holds
across threads and workers, slows rather than locks out, and trusts a proxy only when told."""

from __future__ import annotations

import hashlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade as alembic_upgrade

from journal import create_app, throttle
from journal.database import upgrade_schema
from journal.extensions import db
from journal.models import Writer
from journal.writers import find_writer, issue_setup_token

from .conftest import WRITER
from .http_clients import Client
from .servers import CommandServer


def writer_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Writer.id)))


# --- exactly one writer ----------------------------------------------------------------------


def test_simultaneous_setup_posts_make_exactly_one_writer(app):
    with app.app_context():
        link = f"/setup/{issue_setup_token()}"
    start = threading.Barrier(6)

    def set_up(n: int) -> int:
        client = app.test_client()
        data = {"username": f"writer{n}", "password": "long enough", "confirm": "long enough"}
        start.wait()
        return client.post(link, data=data).status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(set_up, range(6)))
    assert statuses == [302, 404, 404, 404, 404, 404]
    assert writer_count(app) == 1


def test_the_database_refuses_a_second_writer(app):
    with app.app_context():
        db.session.add(Writer(username="first", password_hash="x"))
        db.session.commit()
        db.session.add(Writer(username="second", password_hash="y"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()
    assert writer_count(app) == 1


def test_the_upgrade_keeps_the_first_of_several_writers(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(tmp_path / "old"))
    app = create_app({"TESTING": True, "SECRET_KEY": "t"})
    with app.app_context():
        alembic_upgrade(
            directory=app.extensions["migrate"].directory, revision="0010"
        )  # the step before 0011
        with db.engine.begin() as connection:
            for name in ("hana", "intruder"):
                connection.exec_driver_sql(
                    f"INSERT INTO writers (username, password_hash) VALUES ('{name}', 'x')"
                )
        upgrade_schema()
        assert db.session.scalars(sa.select(Writer.username)).all() == ["hana"]
        db.engine.dispose()


# --- sessions end --------------------------------------------------------------------------


def test_log_out_ends_a_copied_session_too(app, writer, client):
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/write/").status_code == 200
    writer.logout()
    response = copy.get("/write/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    writer.login()  # a fresh login works as before
    assert client.get("/write/").status_code == 200


def test_a_new_password_ends_every_earlier_session(app, writer, client, runner):
    assert client.get("/write/").status_code == 200
    result = runner.invoke(args=["writer", "set-password"], input="a new one!\na new one!\n")
    assert result.exit_code == 0, result.output
    assert client.get("/write/").status_code == 302
    assert writer.login(password="a new one!").status_code == 302


# --- the login limit -------------------------------------------------------------------------


def test_the_limit_counts_before_checking_and_slows_past_it(app):
    with app.app_context():
        now = 1_000_000.0
        assert all(throttle.claim_attempt("10.0.0.1", 5, now).allowed for _ in range(5))
        slow = throttle.claim_attempt("10.0.0.1", 5, now)  # one try per 12 s past the limit
        assert slow.allowed
        refused = throttle.claim_attempt("10.0.0.1", 5, now + 1)
        assert not refused.allowed and refused.retry_after == 11
        assert throttle.claim_attempt("10.0.0.2", 5, now + 1).allowed  # per client
        assert throttle.claim_attempt("10.0.0.1", 5, now + 12).allowed
        assert not throttle.claim_attempt("10.0.0.1", 5, now + 13).allowed
        assert throttle.claim_attempt("10.0.0.1", 5, now + 61).allowed  # a new minute
        throttle.forget("10.0.0.1")
        assert all(throttle.claim_attempt("10.0.0.1", 5, now + 62).allowed for _ in range(5))


def test_parallel_attempts_cannot_slip_under_the_limit(app):
    start = threading.Barrier(8)

    def attempt(_n: int) -> bool:
        start.wait()
        with app.app_context():
            return throttle.claim_attempt("10.0.0.9", 5, 2_000_000.0).allowed

    with ThreadPoolExecutor(8) as pool:
        allowed = list(pool.map(attempt, range(40)))
    assert allowed.count(True) == 6  # the limit, and one slowed try


def test_failed_logins_are_throttled_and_say_how_long_to_wait(writer, client):
    writer.logout()
    statuses = [writer.login(password="wrong").status_code for _ in range(8)]
    assert statuses == [401] * 6 + [429] * 2
    response = writer.login()
    assert response.status_code == 429
    assert "Too many failed logins from this address. Try again at" in response.text
    assert "<nav" in response.text
    assert 1 <= int(response.headers["Retry-After"]) <= 12


def test_a_forwarded_address_counts_only_behind_a_trusted_proxy(make_app):
    def log_in(app, password, forwarded_for):
        headers = {"X-Forwarded-For": forwarded_for}
        data = {"username": WRITER[0], "password": password}
        return app.test_client().post("/login", data=data, headers=headers).status_code

    direct = make_app(WTF_CSRF_ENABLED=False)
    with direct.app_context():
        from journal.writers import set_writer_password

        set_writer_password(*WRITER)
    # Without a trusted proxy, a made-up X-Forwarded-For does not buy new attempts.
    statuses = [log_in(direct, "wrong", f"10.1.0.{n}") for n in range(8)]
    assert statuses.count(401) == 6 and statuses[-1] == 429

    proxied = make_app(WTF_CSRF_ENABLED=False, TRUSTED_PROXIES=1)
    statuses = [log_in(proxied, "wrong", "203.0.113.7") for _ in range(8)]
    assert statuses[-1] == 429  # the attacker behind the proxy is throttled...
    assert log_in(proxied, WRITER[1], "198.51.100.2") == 302  # ...the writer is not


def test_an_unknown_username_costs_the_same_hash_work(writer, app, monkeypatch):
    calls = []
    real_scrypt = hashlib.scrypt
    with app.app_context():
        find_writer("nobody", "warm-up")  # the first one also makes the dummy hash
    monkeypatch.setattr(hashlib, "scrypt", lambda *a, **k: calls.append(1) or real_scrypt(*a, **k))
    with app.app_context():
        find_writer(WRITER[0], "wrong")
        known = len(calls)
        find_writer("nobody", "wrong")
        find_writer("nobody", "wrong")
    assert known == 1 and len(calls) == 3


@pytest.fixture
def production(make_app):
    app = make_app(TESTING=False)
    with app.app_context():
        from journal.writers import set_writer_password

        set_writer_password(*WRITER)
    server = CommandServer(app.instance_path, app.test_settings, "serve", workers=2)
    yield server
    server.stop()


def test_two_gunicorn_workers_share_the_limit(production):
    def wrong_login(_n: int) -> int:
        return Client(production.url).log_in(WRITER[0], "wrong").status

    with ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(wrong_login, range(16)))
    assert statuses.count(401) == 6 and statuses.count(429) == 10
