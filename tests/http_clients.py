"""Independent HTTP clients, each with its own cookie jar, for tests against a real server."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass


@dataclass
class Answer:
    status: int
    headers: dict
    text: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One visitor: a browser's cookie jar, no redirects followed."""

    def __init__(self, base_url: str, headers: dict | None = None) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.headers = headers or {}
        self._opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: dict | None = None, headers: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(
            self.base_url + path, data=body, headers={**self.headers, **(headers or {})}
        )
        try:
            with self._opener.open(request, timeout=30) as response:
                return Answer(response.status, dict(response.headers), _text(response.read()))
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), _text(error.read()))

    def get(self, path: str, **kwargs) -> Answer:
        return self.request(path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Answer:
        return self.request(path, data=data, **kwargs)

    def csrf_token(self, path: str = "/login") -> str:
        page = self.get(path)
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {path} ({page.status})"
        return match.group(1)

    def log_in(self, username: str, password: str) -> Answer:
        token = self.csrf_token()
        return self.post(
            "/login", {"csrf_token": token, "username": username, "password": password}
        )


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")
