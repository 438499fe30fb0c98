"""A real server process killed with SIGKILL in the middle of a burst of saves loses nothing.

The database must pass `PRAGMA integrity_check` and hold every save the server acknowledged
(a 303 back to the editor), with its text, as a revision of the right version.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest

from journal import create_app
from journal.database import upgrade_schema
from journal.extensions import db
from journal.writers import set_writer_password

from .conftest import WRITER

ROOT = Path(__file__).resolve().parents[1]
WRITERS = 3  # concurrent clients, each saving its own review over and over
SAVES_PER_WRITER = 300  # an upper bound; the kill comes long before
KILL_AFTER = 40  # acknowledged saves in all


class Client:
    """A tiny HTTP client with one cookie, so the test needs nothing beyond the standard library."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    def request(self, method: str, path: str, form: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", text

    def login(self) -> str:
        _, _, page = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        form = {"username": WRITER[0], "password": WRITER[1], "csrf_token": token}
        status, _, _ = self.request("POST", "/login", form)
        assert status == 302
        return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(folder))
    monkeypatch.setenv("JOURNAL_SECRET_KEY", "crash-test")
    app = create_app()
    with app.app_context():
        upgrade_schema()
        set_writer_password(*WRITER)
        db.engine.dispose()
    return folder


@pytest.fixture
def server(instance):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "journal", "run", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env={**os.environ, "JOURNAL_INSTANCE_PATH": str(instance)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr])
    reader.start()
    try:
        seen = []
        while not any("Running on" in line for line in seen):
            seen.append(lines.get(timeout=60))  # fails the test if the server never listens
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        reader.join(timeout=30)  # the pipe ends with the process
        process.stderr.close()


def test_sigkill_mid_burst_keeps_every_acknowledged_save(server, instance):
    process, port = server
    acknowledged: list[tuple[int, int, str]] = []
    counted = threading.Condition()
    errors: list[BaseException] = []

    def burst(n: int) -> None:
        client = Client(port)
        try:
            token = client.login()
            form = {"csrf_token": token, "title": f"Crash test {n}", "body": "v1", "version": ""}
            status, location, _ = client.request("POST", "/write/new", {**form, "action": "save"})
            assert status == 303, status
            review_id = int(location.rsplit("/", 1)[1])
            for version in range(1, SAVES_PER_WRITER):
                body = f"Writer {n}, save {version + 1}: " + "words " * version
                form.update(body=body, version=str(version), editor=f"crash-writer-{n}")
                status, _, _ = client.request("POST", f"/write/{review_id}", form)
                assert status == 303, status
                with counted:
                    acknowledged.append((review_id, version + 1, body))
                    counted.notify_all()
        except (ConnectionError, http.client.HTTPException, OSError):
            return  # the server is gone: this writer's burst ends here
        except BaseException as error:  # noqa: BLE001 - reported by the test below
            errors.append(error)
            with counted:
                counted.notify_all()

    writers = [threading.Thread(target=burst, args=(n,)) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    with counted:
        assert counted.wait_for(lambda: len(acknowledged) >= KILL_AFTER or errors, timeout=120)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    for writer in writers:
        writer.join(timeout=60)
    assert not errors, errors
    assert process.returncode == -signal.SIGKILL
    assert len(acknowledged) < WRITERS * (SAVES_PER_WRITER - 1), "killed after the burst, not in it"

    database = sqlite3.connect(instance / "journal.db")
    try:
        assert database.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for review_id, version, body in acknowledged:
            row = database.execute(
                "SELECT data FROM revisions WHERE review_id = ? AND version = ? AND kind = 'save'",
                (review_id, version),
            ).fetchone()
            assert row is not None, f"acknowledged save {review_id}@{version} is missing"
            assert json.loads(row[0])["body"] == body
            current = database.execute(
                "SELECT version FROM reviews WHERE id = ?", (review_id,)
            ).fetchone()[0]
            assert current >= version
    finally:
        database.close()
