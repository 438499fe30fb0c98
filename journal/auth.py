"""Blueprint: log in, log out, and the one-time setup of the writer."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.exceptions import TooManyRequests

from .extensions import db, login_manager
from .formatting import format_time
from .forms import LoginForm, SetupForm
from .models import Writer, utcnow

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to continue."


@login_manager.user_loader
def load_writer(writer_id: str) -> Writer | None:
    return db.session.get(Writer, int(writer_id)) if writer_id.isdigit() else None


@login_manager.unauthorized_handler
def unauthorized():
    if request.headers.get("HX-Request") == "true":
        # A login page swapped into a fragment would be nonsense: send the whole tab there.
        page = urlsplit(request.headers.get("HX-Current-URL", ""))
        back = page.path + (f"?{page.query}" if page.query else "") if page.path else None
        response = current_app.response_class("Your session has ended. Log in again.", 401)
        response.headers["HX-Redirect"] = url_for("auth.login", next=back)
        return response
    flash(login_manager.login_message, "info")
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


class LoginThrottle:
    """Failed logins per client address in a sliding minute (per process)."""

    def __init__(self) -> None:
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures[client]
        while failures and now - failures[0] > 60:
            failures.popleft()
        return failures

    def blocked(self, client: str, limit: int) -> bool:
        with self._lock:
            return len(self._recent(client, time.monotonic())) >= limit

    def fail(self, client: str) -> None:
        with self._lock:
            self._recent(client, time.monotonic()).append(time.monotonic())

    def clear(self, client: str) -> None:
        with self._lock:
            self._failures.pop(client, None)


def _throttle() -> LoginThrottle:
    return current_app.extensions.setdefault("login_throttle", LoginThrottle())


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("reviews.dashboard"))
    form = LoginForm()
    client = request.remote_addr or "unknown"
    if form.is_submitted() and _throttle().blocked(
        client, current_app.config["LOGIN_ATTEMPTS_PER_MINUTE"]
    ):
        # The oldest failure counted leaves the minute window by then, at the latest.
        again = (utcnow() + timedelta(seconds=119)).replace(second=0, microsecond=0)
        again = format_time(again, "%H:%M")
        raise TooManyRequests(
            f"Too many failed logins from this address. Try again at {again} (in a minute or two).",
            retry_after=60,
        )
    if form.validate_on_submit():
        writer = db.session.scalar(sa.select(Writer).where(Writer.username == form.username.data))
        if writer is not None and writer.check_password(form.password.data):
            _throttle().clear(client)
            login_user(writer)
            return redirect(next_url or url_for("reviews.dashboard"))
        _throttle().fail(client)
        form.form_errors.append("Wrong username or password.")
    status = 401 if form.form_errors else 200
    return render_template("auth/login.html", form=form, has_writer=writer_exists()), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("reviews.index"))


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str):
    if writer_exists():
        abort(
            404,
            "This setup link was already used: the journal has its writer. Log in instead "
            "(or reset the password with “journal writer set-password”).",
        )
    if not setup_token_matches(token):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        writer = set_writer_password(form.username.data, form.password.data)
        discard_setup_token()
        login_user(writer)
        flash("Welcome! Your journal is ready: write your first review.", "success")
        return redirect(url_for("reviews.new"))
    return render_template("auth/setup.html", form=form), 422 if form.errors else 200


def writer_exists() -> bool:
    return db.session.scalar(sa.select(sa.func.count(Writer.id))) > 0


def set_writer_password(username: str, password: str) -> Writer:
    """Create the writer, or rename and re-key the one there is (there is only ever one)."""
    writer = db.session.scalar(sa.select(Writer).order_by(Writer.id)) or Writer()
    writer.username = username
    writer.set_password(password)
    db.session.add(writer)
    db.session.commit()
    return writer


def _token_path() -> str:
    return os.path.join(current_app.instance_path, "setup-token")


def issue_setup_token() -> str:
    """A fresh one-time token; only its hash is stored, beside the database (needs app context)."""
    token = secrets.token_urlsafe(24)
    fd = os.open(_token_path(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(hashlib.sha256(token.encode()).hexdigest())
    return token


def setup_token_matches(token: str) -> bool:
    try:
        with open(_token_path(), encoding="ascii") as f:
            stored = f.read().strip()
    except FileNotFoundError:
        return False
    return hmac.compare_digest(stored, hashlib.sha256(token.encode()).hexdigest())


def discard_setup_token() -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(_token_path())
