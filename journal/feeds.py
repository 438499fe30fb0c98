"""Blueprint: Atom 1.0 feeds of the latest published reviews, for the journal and per genre."""

from __future__ import annotations

import re
from datetime import datetime
from xml.etree import ElementTree as ET

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, url_for
from flask_login import current_user

from .extensions import db
from .models import Review, Writer, utcnow
from .rendered import body_html
from .reviews import published_reviews
from .tags import published_with_tag, tag_by_slug_or_404

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
    sub(author, "name", current_app.config.get("AUTHOR") or _writer_name() or "Review Journal")
    sub(feed, "generator", "Review Journal")
    for review in reviews:
        url = url_for("reviews.show", slug=review.slug, _external=True)
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
                scheme=url_for("tags.index", _external=True),
            )
        if review.verdict:
            sub(entry, "summary", review.verdict)
        # The review page's stored rendering; the XML writer escapes it.
        sub(entry, "content", str(body_html(review)), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _writer_name() -> str | None:
    return db.session.scalar(sa.select(Writer.username).limit(1))


def _atom_response(body: bytes) -> Response:
    return Response(body, mimetype="application/atom+xml")


@bp.get("/feed.atom")
def feed():
    reviews = db.session.scalars(published_reviews().limit(FEED_SIZE)).all()
    body = build_feed(
        "Review Journal",
        url_for("feeds.feed", _external=True),
        url_for("reviews.index", _external=True),
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
        url_for("feeds.tag_feed", slug=tag.slug, _external=True),
        url_for("tags.show", slug=tag.slug, _external=True),
        reviews,
    )
    return _atom_response(body)
