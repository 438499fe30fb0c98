"""Blueprint: Atom 1.0 feeds of the latest published reviews, for the journal and per genre."""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_login import current_user
from markupsafe import Markup

from .. import markdown
from ..extensions import db
from ..models import Review, utcnow
from ..published import published_reviews, published_with_tag
from ..rendered import body_html
from .lookups import tag_by_slug_or_404

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 20
# Characters XML 1.0 cannot carry, even escaped; the editor refuses them, an import might not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def atom_time(moment: datetime) -> str:
    """Stored times are naive UTC."""
    return moment.replace(microsecond=0).isoformat() + "Z"


def build_feed(title: str, self_url: str, page_url: str, reviews: list[Review]) -> bytes:
    ET.register_namespace("", ATOM)

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = _NOT_XML.sub("", text)
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", self_url)
    sub(feed, "title", title)
    newest = max((r.updated_at for r in reviews), default=None) or utcnow()
    sub(feed, "updated", atom_time(newest))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = sub(feed, "author")
    sub(author, "name", current_app.config["AUTHOR_NAME"])
    sub(feed, "generator", "Review Journal")
    for review in reviews:
        url = site_url("reviews.show", slug=review.slug)
        entry = sub(feed, "entry")
        sub(entry, "id", url)
        sub(entry, "title", review.title)
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        published = review.published_at or review.created_at
        sub(entry, "published", atom_time(published))
        sub(entry, "updated", atom_time(max(review.updated_at, published)))
        for tag in review.tags:
            sub(
                entry,
                "category",
                term=tag.name,
                label=tag.name,
                scheme=site_url("tags.index"),
            )
        if review.verdict:
            sub(entry, "summary", review.verdict)
        sub(entry, "content", str(feed_body(review, url)), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


SPOILER_NOTICE = (
    '<p><em>This review contains spoilers, so its text is only on <a href="{url}">its page</a>.'
    "</em></p>"
)


def feed_body(review: Review, url: str) -> Markup:
    """The review page's stored rendering (the XML writer escapes it), but no spoiler ever
    reaches a feed: a flagged review gives only a notice, a `::: spoiler` block a short one."""
    if review.contains_spoilers:
        return Markup(SPOILER_NOTICE).format(url=url)
    if markdown.has_spoiler_block(review.body):
        return markdown.render(review.body, hide_spoilers=True)
    return body_html(review)


def site_url(endpoint: str, **values) -> str:
    """An absolute URL from JOURNAL_SITE_URL when set, not from the request's Host header."""
    base = current_app.config.get("SITE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    path = url_for(endpoint, **values)
    if request.script_root and path.startswith(request.script_root):
        path = path[len(request.script_root) :]
    return base.rstrip("/") + path


def _atom_response(body: bytes) -> Response:
    return Response(body, mimetype="application/atom+xml")


@bp.get("/feed.atom")
def feed():
    reviews = db.session.scalars(published_reviews().limit(FEED_SIZE)).all()
    body = build_feed(
        "Review Journal",
        site_url("feeds.feed"),
        site_url("reviews.index"),
        reviews,
    )
    return _atom_response(body)


@bp.get("/tags/<slug>/feed.atom")
def tag_feed(slug: str):
    tag = tag_by_slug_or_404(slug)
    reviews = db.session.scalars(published_with_tag(tag).limit(FEED_SIZE)).all()
    if not reviews and not current_user.is_authenticated:
        abort(404)  # a genre with no published review is invisible to readers
    body = build_feed(
        f"Review Journal: {tag.name}",
        site_url("feeds.tag_feed", slug=tag.slug),
        site_url("tags.show", slug=tag.slug),
        reviews,
    )
    return _atom_response(body)
