"""`pip install .` ships templates, static files and migrations, and works from any folder."""

import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from .conftest import engine_independent

pytestmark = engine_independent
ROOT = Path(__file__).resolve().parent.parent

SMOKE = """
from journal import create_app
app = create_app()
assert 'site-packages' in app.root_path, app.root_path
client = app.test_client()
with app.app_context():
    from journal.database import upgrade_schema
    upgrade_schema()
for url in ['/', '/login', '/static/app.js', '/static/vendor/htmx-2.0.11.min.js']:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
print('wheel ok')
"""


def test_the_wheel_works_from_another_folder(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(ROOT), "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("review_journal-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "journal/templates/base.html" in names
    assert "journal/static/vendor/pico-2.1.1.min.css" in names
    assert "journal/migrations/versions/0001_initial_schema.py" in names

    python = _venv_seeing_our_packages(tmp_path / "venv")
    # PYTHONPATH (the checkout, when run from it) would import the checkout, not the wheel.
    clean = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    subprocess.run(
        [python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        check=True,
        capture_output=True,
        env=clean,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [python, "-c", SMOKE], cwd=elsewhere, capture_output=True, text=True, check=False,
        env=clean,
    )
    assert result.returncode == 0, result.stderr
    assert "wheel ok" in result.stdout
    assert (elsewhere / "instance" / "journal.db").exists()


def _venv_seeing_our_packages(env_dir: Path) -> Path:
    """A venv whose dependencies are those of the interpreter running the tests (a venv's or the
    system's), without downloading them. system_site_packages would see the base Python instead.
    The folders go in through a .pth file: their own .pth files (an editable install of this
    checkout) stay inactive, so `journal` can only come from the wheel."""
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    ours = site.getsitepackages() + ([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])
    Path(purelib, "running_interpreter.pth").write_text("\n".join(ours) + "\n", encoding="utf-8")
    return python
