"""`journal serve`: gunicorn with the app that create_app() made."""

from __future__ import annotations

import contextvars

from flask import Flask
from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, app: Flask, options: dict) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # control_socket_disable is new in gunicorn 25.1
                self.cfg.set(key, value)

    def load(self) -> Flask:
        return self.application


def run_gunicorn(app: Flask, host: str, port: int, workers: int) -> None:
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        # gunicorn's runtime control socket is one per user account by default: two journals
        # on one machine would fight over it, and the journal has no use for it.
        "control_socket_disable": True,
    }
    # In an empty context: the CLI's app context (Flask pushes one for every app.cli command)
    # would otherwise be inherited by every worker, and Flask pushes a new one per request only
    # when none is active, so one `g`, with the logged-in user and the CSRF token, would serve
    # every client.
    contextvars.Context().run(_Gunicorn(app, options).run)
