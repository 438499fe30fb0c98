"""The journal's real servers for tests: `journal run` and `journal serve` as subprocesses.

Each is started the way README starts it, on a free port, with its own instance folder; the
settings a test gives reach it as `JOURNAL_*` environment variables.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CommandServer:
    """`journal serve --workers N --port P` (or `journal run --port P`) until stop()."""

    def __init__(
        self, instance: Path, settings: dict, command: str = "serve", *options: str, workers=2
    ):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = Path(instance) / f"{command}-{port}.log"
        env = {
            **os.environ,
            "JOURNAL_INSTANCE_PATH": str(instance),
            "PYTHONUNBUFFERED": "1",
            **{f"JOURNAL_{key}": json.dumps(value) for key, value in settings.items()},
        }
        args = [sys.executable, "-m", "journal", command, "--port", str(port), *options]
        if command == "serve":
            args += ["--workers", str(workers)]
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            args, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_until_it_answers()

    def _wait_until_it_answers(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/favicon.ico", timeout=2):
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server did not answer: {self.log_path.read_text()}")

    def stop(self) -> None:
        """At once, workers included: a graceful gunicorn shutdown takes seconds, and the
        database needs none (SQLite's journal survives a killed writer)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: the server only
        self.process.wait()
        self._log.close()
