"""Blueprint: log in, log out, and the one-time setup of the writer."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
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
from werkzeug.security import check_password_hash, generate_password_hash

from . import throttle
from .extensions import db, login_manager
from .formatting import format_time
from .forms import LoginForm, SetupForm
from .models import Writer, utcnow

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to continue."


@login_manager.user_loader
def load_writer(session_id: str) -> Writer | None:
    """Writer.get_id(): the writer's id and the session generation it logged in under."""
    writer_id, _, generation = session_id.partition(".")
    if not (writer_id.isdigit() and generation.isdigit()):
        return None  # a session from before generations: log in again
    writer = db.session.get(Writer, int(writer_id))
    return writer if writer and writer.session_generation == int(generation) else None


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
    if not target.isprintable():  # CR/LF would split the Location header
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


@functools.cache
def _dummy_hash() -> str:
    """Checked for an unknown username, so it costs the same as a wrong password."""
    return generate_password_hash(secrets.token_hex(16))


def find_writer(username: str, password: str) -> Writer | None:
    """The writer if both are right; the same hash work whether or not the username exists."""
    writer = db.session.scalar(sa.select(Writer).where(Writer.username == username))
    if writer is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return writer if writer.check_password(password) else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("reviews.dashboard"))
    form = LoginForm()
    client = request.remote_addr or "unknown"  # the proxy's client only when trusted (security)
    if form.validate_on_submit():
        decision = throttle.claim_attempt(client, current_app.config["LOGIN_ATTEMPTS_PER_MINUTE"])
        if not decision.allowed:
            again = format_time(utcnow() + timedelta(seconds=decision.retry_after), "%H:%M:%S")
            raise TooManyRequests(
                f"Too many failed logins from this address. Try again at {again} "
                f"(in {decision.retry_after} seconds).",
                retry_after=decision.retry_after,
            )
        writer = find_writer(form.username.data, form.password.data)
        if writer is not None:
            throttle.forget(client)
            login_user(writer)
            return redirect(next_url or url_for("reviews.dashboard"))
        form.form_errors.append("Wrong username or password.")
    status = 401 if form.form_errors else 200
    return render_template("auth/login.html", form=form, has_writer=writer_exists()), status


@bp.post("/logout")
@login_required
def logout():
    current_user.end_sessions()  # a copy of this session's cookie stops working too
    db.session.commit()
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
        writer = create_first_writer(token, form.username.data, form.password.data)
        if writer is None:
            abort(404)  # another request used the link first
        login_user(writer)
        flash("Welcome! Your journal is ready: write your first review.", "success")
        return redirect(url_for("reviews.new"))
    return render_template("auth/setup.html", form=form), 422 if form.errors else 200


def writer_exists() -> bool:
    return db.session.scalar(sa.select(sa.func.count(Writer.id))) > 0


def create_first_writer(token: str, username: str, password: str) -> Writer | None:
    """Use the setup link once: claim its token (an atomic rename), then insert the writer,
    which the table's one-row constraint admits only if there is none. None: too late."""
    claimed = f"{_token_path()}.{secrets.token_hex(8)}"
    try:
        os.rename(_token_path(), claimed)
    except FileNotFoundError:
        return None
    try:
        if not _hash_matches(claimed, token):
            os.rename(claimed, _token_path())
            return None
        writer = Writer(username=username)
        writer.set_password(password)
        db.session.add(writer)
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        return None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.remove(claimed)
    return writer


def set_writer_password(username: str, password: str) -> Writer:
    """Create the writer, or rename and re-key the one there is (ending its sessions)."""
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
    return _hash_matches(_token_path(), token)


def _hash_matches(path: str, token: str) -> bool:
    try:
        with open(path, encoding="ascii") as f:
            stored = f.read().strip()
    except FileNotFoundError:
        return False
    return hmac.compare_digest(stored, hashlib.sha256(token.encode()).hexdigest())
