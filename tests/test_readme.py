"""README tells a new writer the truth: a virtual environment first, how to pick the port,
where the autosave status is, and the very test command CI runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README, flags=re.S)


def test_a_virtual_environment_comes_before_the_first_install():
    first_venv = next(i for i, c in enumerate(commands()) if "-m venv" in c)
    first_install = next(i for i, c in enumerate(commands()) if "pip install" in c)
    assert first_venv < first_install
    assert ". .venv/bin/activate" in commands()[first_venv]


def test_the_two_commands_run_and_test_and_the_test_one_is_what_ci_runs():
    installs = [c for c in commands() if "pip install" in c]
    assert installs[0] == "pip install -e . && journal run"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert installs[1] == "python3 -m pip install -e '.[test]' && python3 -m pytest"
    assert installs[1] in ci  # run as it is (then again on PostgreSQL)


def test_it_shows_how_to_pick_the_port():
    assert "journal run --port 8080" in README


def test_it_says_where_the_autosave_status_really_is():
    editor = (ROOT / "templates" / "editor" / "editor.html").read_text(encoding="utf-8")
    # The status line comes after the buttons in the editor, so README must say "below".
    assert editor.index('class="editor-actions"') < editor.index("_autosave_status.html")
    assert "beside the buttons" not in README
    assert "just below the Save, Publish and Preview buttons" in README
