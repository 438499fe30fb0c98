"""The database, its backups and exports are the owner's only (0600, folders 0700), even under a
umask of 022 and in a checkout whose instance/ folder is 0755."""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from journal.cli import cli


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def checkout_instance(tmp_path, monkeypatch, umask_022):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    os.chmod(instance, 0o755)  # as git checks it out
    monkeypatch.setenv("JOURNAL_INSTANCE_PATH", str(instance))
    monkeypatch.setenv("JOURNAL_SECRET_KEY", "t")
    return instance


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result


def test_database_and_backup_are_private(checkout_instance, tmp_path):
    run("backup", str(tmp_path / "copy.db"))
    assert mode(checkout_instance) == 0o700
    assert mode(checkout_instance / "journal.db") == 0o600
    for companion in ("journal.db-wal", "journal.db-shm"):
        if (checkout_instance / companion).exists():
            assert mode(checkout_instance / companion) == 0o600
    assert mode(tmp_path / "copy.db") == 0o600


def test_an_existing_world_readable_database_is_made_private(checkout_instance, tmp_path):
    run("backup", str(tmp_path / "first.db"))
    os.chmod(checkout_instance / "journal.db", 0o644)
    os.chmod(tmp_path / "first.db", 0o644)
    run("backup", str(tmp_path / "first.db"))
    assert mode(checkout_instance / "journal.db") == 0o600
    assert mode(tmp_path / "first.db") == 0o600


def test_exports_are_private(checkout_instance, tmp_path):
    run("export", str(tmp_path / "journal.zip"))
    assert mode(tmp_path / "journal.zip") == 0o600
    run("import", str(_one_review(tmp_path)))
    run("export", str(tmp_path / "folder"))
    assert mode(tmp_path / "folder") == 0o700
    files = [p for p in (tmp_path / "folder").rglob("*") if p.is_file()]
    assert files and all(mode(p) == 0o600 for p in files)
    assert os.umask(0o022) == 0o022  # the command gave the umask back


def _one_review(tmp_path):
    path = tmp_path / "quiet-drama.md"
    path.write_text('---\ntitle: "A quiet drama"\nstatus: draft\n---\nWords.\n', encoding="utf-8")
    return path
