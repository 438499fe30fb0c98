"""Blueprint: log in, log out, and the one-time setup of the writer."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

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

from .. import throttle, writers
from ..extensions import db, login_manager
from ..formatting import format_time
from ..models import utcnow
from . import htmx
from .forms import LoginForm, SetupForm

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"
login_manager.login_message = "Log in to continue."


login_manager.user_loader(writers.writer_for_session)


@login_manager.unauthorized_handler
def unauthorized():
    if htmx.is_htmx():
        # A login page swapped into a fragment would be nonsense: send the whole tab there.
        login = url_for("auth.login", next=htmx.current_page_path())
        return htmx.client_redirect(login, "Your session has ended. Log in again.", 401)
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
        writer = writers.find_writer(form.username.data, form.password.data)
        if writer is not None:
            throttle.forget(client)
            login_user(writer)
            return redirect(next_url or url_for("reviews.dashboard"))
        form.form_errors.append("Wrong username or password.")
    status = 401 if form.form_errors else 200
    return render_template("auth/login.html", form=form, has_writer=writers.writer_exists()), status


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
    if writers.writer_exists():
        abort(
            404,
            "This setup link was already used: the journal has its writer. Log in instead "
            "(or reset the password with “journal writer set-password”).",
        )
    if not writers.setup_token_matches(token):
        abort(404)
    form = SetupForm()
    if form.validate_on_submit():
        writer = writers.create_first_writer(token, form.username.data, form.password.data)
        if writer is None:
            abort(404)  # another request used the link first
        login_user(writer)
        flash("Welcome! Your journal is ready: write your first review.", "success")
        return redirect(url_for("editor.new"))
    return render_template("auth/setup.html", form=form), 422 if form.errors else 200
