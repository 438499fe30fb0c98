"""Response headers that every page carries (security and caching), and form bodies made safe
to decode."""

from urllib.parse import quote_from_bytes, unquote_to_bytes

from flask import Flask, Response, current_app, request, session
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https: data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_app(app: Flask) -> None:
    """Call before CSRFProtect is bound: its check reads the form first."""
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:  # X-Forwarded-For and -Proto only from that many proxies in front of us
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.before_request(_repair_form_encoding)
    app.after_request(_security_headers)
    app.after_request(_cache_policy)  # registered first, so it runs after Flask-Login's hooks


def _repair_form_encoding() -> None:
    """Werkzeug drops or garbles form fields that are not UTF-8; turn bad bytes into U+FFFD
    instead, so the form comes back with the text and a message rather than losing it."""
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return
    # Werkzeug refuses a body over MAX_CONTENT_LENGTH or MAX_FORM_MEMORY_SIZE unread.
    raw = request.get_data(cache=True)
    try:  # the usual case, in one pass: valid throughout (no character spans a "&" or "=")
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    pairs = raw.split(b"&")
    repaired = []
    for pair in pairs:
        decoded = [unquote_to_bytes(part.replace(b"+", b" ")) for part in pair.split(b"=", 1)]
        try:
            for part in decoded:
                part.decode("utf-8")
            repaired.append(pair)
        except UnicodeDecodeError:
            fixed = [quote_from_bytes(p.decode("utf-8", "replace").encode()) for p in decoded]
            repaired.append("=".join(fixed).encode("ascii"))
    if repaired != pairs:
        request._cached_data = b"&".join(repaired)  # werkzeug parses the form from this cache


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    # Not no-referrer: Flask-WTF checks the Referer on HTTPS.
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


# Every URL under these is the writer's, or is about the writer's session.
PRIVATE_PREFIXES = ("/write/", "/login", "/logout", "/setup/")


def _cache_policy(response: Response) -> Response:
    """Nothing the writer sees, and nothing that sets or reads a session, is stored by a
    browser or a proxy: Back after Log out must ask the server again."""
    if request.path.startswith(PRIVATE_PREFIXES) or _depends_on_session(response):
        response.headers["Cache-Control"] = "no-store"
    return response


# Answered alike to everyone when they say `public` (a published review's cover); a draft's
# cover says no-store itself (journal/web/covers.py).
PUBLIC_PREFIXES = ("/covers/",)


def _depends_on_session(response: Response) -> bool:
    if "Set-Cookie" in response.headers:
        return True
    if not session.accessed:  # a reader's page that never looked at the session
        return False
    interface = current_app.session_interface
    if interface.should_set_cookie(current_app, session):
        return True
    if request.path.startswith(PUBLIC_PREFIXES) and response.cache_control.public:
        return False
    # Loading the user may mark the session (Flask-Login's session protection): ask again.
    return current_user.is_authenticated or interface.should_set_cookie(current_app, session)
