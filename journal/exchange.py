"""Markdown export in the fixed format of DESIGN.md. No request objects here.

A `Record` is one review as plain data; export renders it, import (journal/importing.py)
parses it back, and the same rendering decides whether an import would change anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from . import covers, fields
from .archives import stream_zip
from .export_checks import unsafe_warning
from .extensions import db
from .formatting import counted, format_rating, journal_zone
from .frontmatter import flow_list, flow_mapping, format_time, plain_or_quoted, quoted, scalar
from .item_lists import item_data, list_lines
from .models import PUBLISHED, Character, Review
from .records import Record, characters_block, normalize_body

_BATCH = 200
_LOADED = (
    selectinload(Review.tags),
    selectinload(Review.characters),
    selectinload(Review.episode_notes),
    selectinload(Review.viewings),
)


# ---- export -------------------------------------------------------------------------------


def review_to_record(review: Review) -> Record:
    def second(value: datetime | None) -> datetime | None:
        return value.replace(microsecond=0) if value else None

    return Record(
        title=review.title,
        slug=review.slug,
        status=review.status,
        published_at=second(review.published_at),
        updated_at=second(review.updated_at),
        created_at=second(review.created_at),
        tags=sorted(t.name for t in review.tags),
        fields={f.name: getattr(review, f.name) for f in fields.FRONT_MATTER_FIELDS},
        body=review.body,
        characters=[
            {f.key: getattr(c, f.name) or None for f in fields.CHARACTER_FIELDS}
            for c in sorted(review.characters, key=lambda c: (c.position, c.id or 0))
        ],
        episode_notes=[
            item_data(n, fields.EPISODE_NOTE_FIELDS)
            for n in sorted(review.episode_notes, key=lambda n: n.episode)
        ],
        viewings=[
            item_data(v, fields.VIEWING_FIELDS)
            for v in sorted(review.viewings, key=lambda v: (v.watched_on, v.id or 0))
        ],
    )


def export_review(review: Review, zone: ZoneInfo | None = None) -> str:
    return render_record(review_to_record(review), zone or journal_zone())


def render_record(record: Record, zone: ZoneInfo) -> str:
    f = record.fields
    published = record.status == PUBLISHED
    date = (record.published_at if published else None) or record.created_at
    lines = [
        "---",
        f"title: {quoted(record.title)}",
        f"slug: {plain_or_quoted(record.slug)}",
        f"date: {format_time(date, zone)}",
        f"lastmod: {format_time(record.updated_at, zone)}",
        f"created: {format_time(record.created_at, zone)}",
        f"draft: {scalar(not published)}",
    ]
    if record.tags:
        lines.append(f"tags: {flow_list(record.tags)}")
    groups_written = set()
    for spec in fields.FRONT_MATTER_FIELDS:
        if spec.group:
            if spec.group not in groups_written:  # {story: 8, acting: 9.5}, absent ones left out
                groups_written.add(spec.group)
                members = [g for g in fields.FRONT_MATTER_FIELDS if g.group == spec.group]
                pairs = [
                    (g.key, _value(g, f.get(g.name))) for g in members if g.is_set(f.get(g.name))
                ]
                lines += [f"{spec.group}: {flow_mapping(pairs)}"] if pairs else []
        elif spec.kind == fields.IMAGE and f.get(spec.name):  # beside reviews/ (iter_exports)
            lines.append(f"{spec.key}: {cover_path(record.slug)}")
        elif spec.is_set(f.get(spec.name)):
            lines.append(f"{spec.key}: {_value(spec, f[spec.name])}")
            lines += ["rating_scale: 10"] if spec.name == "rating" else []
    if record.characters:
        lines.append("characters:")
        for c in record.characters:
            pairs = [
                (f.key, scalar(c.get(f.key), plain=f.kind != fields.TEXT))
                for f in fields.CHARACTER_FIELDS
            ]
            lines.append(f"  - {flow_mapping(pairs)}")
    lines += list_lines("episode_notes", record.episode_notes)
    lines += list_lines("viewings", record.viewings)
    lines += ["render_with_liquid: false", "---", ""]
    parts = [p for p in (normalize_body(record.body), characters_block(record.characters)) if p]
    return "\n".join(lines) + ("\n\n".join(parts) + "\n" if parts else "")


def cover_path(slug: str) -> str:
    return f"covers/{slug}.webp"


def _value(spec: fields.Field, value) -> str:
    if spec.kind == fields.RATING:
        return format_rating(Decimal(value))
    return scalar(value, plain=spec.plain)


def export_path(review: Review) -> str:
    return f"{'reviews' if review.is_published else 'drafts'}/{review.slug}.md"


def shortcode_warning(path: str, text: str) -> str | None:
    body = text.split("\n---\n", 1)[-1]
    if "{{<" in body or "{{%" in body:
        return f"{path}: the body contains `{{{{<` or `{{{{%`, which Hugo reads as a shortcode"
    return None


def export_warnings(path: str, text: str) -> list[str]:
    """What a static site will do differently with this exported file, for the writer to see."""
    body = text.split("\n---\n", 1)[-1]
    found = [shortcode_warning(path, text), unsafe_warning(path, body)]
    return [warning for warning in found if warning]


def scan_warnings(zone: ZoneInfo | None = None) -> list[str]:
    """The export's warnings without writing it: only reviews whose text could hold raw HTML,
    a link or a shortcode are rendered."""
    zone = zone or journal_zone()
    maybe = sa.or_(
        *(
            column.contains(mark, autoescape=True)
            for column in (Review.body, Character.notes)
            for mark in ("<", "](", "]:", "{{")
        )
    )
    ids = db.session.scalars(
        sa.select(Review.id).outerjoin(Character).where(maybe).distinct().order_by(Review.id)
    ).all()
    warnings = []
    for start in range(0, len(ids), _BATCH):
        batch = db.session.scalars(
            sa.select(Review)
            .where(Review.id.in_(ids[start : start + _BATCH]))
            .order_by(Review.id)
            .options(*_LOADED)
        ).all()
        for review in batch:
            warnings += export_warnings(export_path(review), export_review(review, zone))
        db.session.expunge_all()
    return warnings


@dataclass
class ExportSummary:
    published: int = 0
    drafts: int = 0
    characters: int = 0
    genres: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.published + self.drafts

    def describe(self) -> str:
        return (
            f"{self.published} published, {counted(self.drafts, 'draft')}, "
            f"{counted(self.characters, 'character')}, {counted(len(self.genres), 'genre')}"
        )


def count_reviews() -> int:
    return db.session.scalar(sa.select(sa.func.count(Review.id))) or 0


def iter_exports(
    summary: ExportSummary, zone: ZoneInfo | None = None
) -> Iterator[tuple[str, bytes, datetime]]:
    """(path, file bytes, local modification time) for every review, a batch in memory at once."""
    zone = zone or journal_zone()
    covers_folder = covers.covers_root(current_app.instance_path)
    last_id = 0
    while True:
        batch = db.session.scalars(
            sa.select(Review)
            .where(Review.id > last_id)
            .order_by(Review.id)
            .limit(_BATCH)
            .options(*_LOADED)
        ).all()
        if not batch:
            return
        for review in batch:
            path, text = export_path(review), export_review(review, zone)
            if review.is_published:
                summary.published += 1
            else:
                summary.drafts += 1
            summary.characters += len(review.characters)
            summary.genres.update(t.id for t in review.tags)
            for warning in export_warnings(path, text):
                summary.warnings.append(warning)
            modified = review.updated_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
            yield path, text.encode("utf-8"), modified.replace(tzinfo=None)
            if review.cover:
                image = covers.large_file(covers_folder, review.cover)
                if image.is_file():
                    yield cover_path(review.slug), image.read_bytes(), modified.replace(tzinfo=None)
                else:
                    summary.warnings.append(f"{path}: its cover file is missing, left out")
        last_id = batch[-1].id
        db.session.expunge_all()  # ten thousand reviews must not pile up in the session


def export_zip_stream(summary: ExportSummary, zone: ZoneInfo | None = None) -> Iterator[bytes]:
    return stream_zip(iter_exports(summary, zone))


def export_to(path: str | Path, progress: Callable[[str], None] | None = None) -> ExportSummary:
    """Every review to a folder, or to a zip when `path` ends in .zip."""
    summary, target = ExportSummary(), Path(path)
    entries = iter_exports(summary)
    if progress:
        entries = _tap(entries, progress)
    if target.suffix.lower() == ".zip":
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        with partial.open("wb") as out:
            for chunk in stream_zip(entries):
                out.write(chunk)
        partial.replace(target)
    else:
        for name, data, _modified in entries:
            file = target / name
            file.parent.mkdir(parents=True, exist_ok=True)
            file.write_bytes(data)
    return summary


def _tap(entries, progress):
    for entry in entries:
        progress(entry[0])
        yield entry
