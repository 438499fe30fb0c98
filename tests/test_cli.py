"""The `journal` command: schema upgrades first, setup link, the servers."""

import os
import re
import socket
import sqlite3
import subprocess
import sys
import urllib.request

import pytest
from click.testing import CliRunner

from journal.cli import cli


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def table_names(path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_database_commands_create_the_schema_on_a_fresh_instance(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(tmp_path / "instance"))
    result = CliRunner().invoke(cli, ["backup", str(tmp_path / "copy.db")])
    assert result.exit_code == 0, result.output
    assert {"reviews", "tags", "characters", "revisions", "writers"} <= table_names(
        tmp_path / "instance" / "journal.db"
    )
    assert "reviews" in table_names(tmp_path / "copy.db")


def test_help_does_not_touch_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(tmp_path / "instance"))
    result = CliRunner().invoke(cli, ["backup", "--help"])
    assert result.exit_code == 0 and "consistent copy" in result.output
    assert not (tmp_path / "instance" / "journal.db").exists()


def start(args, tmp_path):
    env = {
        **os.environ,
        "JOURNAL_INSTANCE_PATH": str(tmp_path / "instance"),
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "journal", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def read_until(process, pattern, limit=200):
    for _ in range(limit):
        line = process.stdout.readline()
        if not line:
            break
        match = re.search(pattern, line)
        if match:
            return match
    pytest.fail(f"the server never printed {pattern!r}")


@pytest.mark.parametrize("command", ["run", "serve"])
def test_first_start_prints_a_setup_link_that_works(tmp_path, command):
    port = free_port()
    process = start([command, "--port", str(port)], tmp_path)
    try:
        match = read_until(process, rf"(http://127\.0\.0\.1:{port}/setup/[\w-]+)")
        with urllib.request.urlopen(match.group(1), timeout=5) as response:
            assert response.status == 200
            assert "Create writer" in response.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.communicate(timeout=10)
