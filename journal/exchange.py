"""Markdown export and import in the fixed format of DESIGN.md. No request objects here.

A `Record` is one review as plain data; export renders it, import parses it back, and the
same rendering decides whether an import would change anything (idempotent by slug).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from . import editing
from .archives import Source, SourceFile, stream_zip
from .extensions import db
from .formatting import counted, format_rating, journal_zone
from .frontmatter import flow_list, flow_mapping, format_time, plain_or_quoted, quoted, scalar
from .models import PUBLISHED, Character, Review, Revision, Tag, utcnow
from .records import ImportProblem, Record, characters_block, normalize_body, parse_record
from .tagging import tag_key

CHARACTER_KEYS = ("name", "actor", "nickname", "notes")
_BATCH = 200


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
        fields={
            name: getattr(review, name) for name in editing.FIELDS if name not in ("title", "body")
        },
        body=review.body or "",
        characters=[
            {
                "name": c.name,
                "actor": c.actor or None,
                "nickname": c.nickname or None,
                "notes": c.notes or None,
            }
            for c in sorted(review.characters, key=lambda c: (c.position, c.id or 0))
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
    for key, name, plain in (
        ("description", "verdict", False),
        ("work_title", "work_title", False),
        ("original_title", "original_title", False),
        ("media_type", "media_type", True),
        ("year", "year", True),
        ("where_to_watch", "where_to_watch", True),
        ("episodes", "episodes", True),
        ("runtime_minutes", "runtime_minutes", True),
    ):
        if f.get(name) is not None:
            lines.append(f"{key}: {scalar(f[name], plain=plain)}")
    if f.get("rating") is not None:
        lines.append(f"rating: {format_rating(Decimal(f['rating']))}")
        lines.append("rating_scale: 10")
    if record.characters:
        lines.append("characters:")
        for c in record.characters:
            pairs = [(k, scalar(c.get(k), plain=k != "notes")) for k in CHARACTER_KEYS]
            lines.append(f"  - {flow_mapping(pairs)}")
    lines += ["render_with_liquid: false", "---", ""]
    parts = [p for p in (normalize_body(record.body), characters_block(record.characters)) if p]
    return "\n".join(lines) + ("\n\n".join(parts) + "\n" if parts else "")


def export_path(review: Review) -> str:
    return f"{'reviews' if review.is_published else 'drafts'}/{review.slug}.md"


def shortcode_warning(path: str, text: str) -> str | None:
    body = text.split("\n---\n", 1)[-1]
    if "{{<" in body or "{{%" in body:
        return f"{path}: the body contains `{{{{<` or `{{{{%`, which Hugo reads as a shortcode"
    return None


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
    last_id = 0
    while True:
        batch = db.session.scalars(
            sa.select(Review)
            .where(Review.id > last_id)
            .order_by(Review.id)
            .limit(_BATCH)
            .options(selectinload(Review.tags), selectinload(Review.characters))
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
            warning = shortcode_warning(path, text)
            if warning:
                summary.warnings.append(warning)
            modified = review.updated_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
            yield path, text.encode("utf-8"), modified.replace(tzinfo=None)
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


# ---- import -------------------------------------------------------------------------------


@dataclass
class PlanItem:
    name: str
    action: str  # "create", "update" or "unchanged"
    record: Record
    warnings: list[str]
    review_id: int | None = None


@dataclass
class ImportPlan:
    items: list[PlanItem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def warnings(self) -> list[str]:
        return [f"{item.name}: {w}" for item in self.items for w in item.warnings]

    def describe(self) -> str:
        return (
            f"{self.count('create')} to create, {self.count('update')} to update, "
            f"{self.count('unchanged')} unchanged, {len(self.skipped)} skipped"
        )


def parse_markdown(name: str, data: bytes, zone: ZoneInfo | None = None) -> Record:
    """One file's review as a Record (times may be None). Raises ImportProblem."""
    return parse_record(name, data, zone or journal_zone())


def plan_import(
    source: Source,
    zone: ZoneInfo | None = None,
    now: datetime | None = None,
    progress: Callable[[SourceFile], None] | None = None,
) -> ImportPlan:
    """What an import would do, written nowhere. Every file is read before anything is decided."""
    zone, now = zone or journal_zone(), (now or utcnow()).replace(microsecond=0)
    plan = ImportPlan(skipped=list(source.skipped))
    parsed: list[tuple[str, Record]] = []
    seen: dict[str, str] = {}
    for file in source.files:
        if progress:
            progress(file)
        try:
            record = parse_record(file.name, file.data, zone)
        except ImportProblem as problem:
            plan.errors.append((file.name, str(problem)))
            continue
        if record.slug in seen:
            plan.errors.append(
                (file.name, f"its slug “{record.slug}” is also the slug of {seen[record.slug]}")
            )
            continue
        seen[record.slug] = file.name
        parsed.append((file.name, record))
    existing = _reviews_by_slug(list(seen))
    spellings = _tag_spellings([t for _, r in parsed for t in r.tags])
    for name, record in parsed:
        record.tags = sorted({spellings[tag_key(t)] for t in record.tags})
        review = existing.get(record.slug)
        _complete_times(record, review, now)
        if review is None:
            action = "create"
        elif render_record(record, zone) == export_review(review, zone):
            action = "unchanged"
        else:
            action = "update"
        plan.items.append(
            PlanItem(name, action, record, record.warnings, review.id if review else None)
        )
    return plan


def _reviews_by_slug(slugs: list[str]) -> dict[str, Review]:
    found: dict[str, Review] = {}
    for start in range(0, len(slugs), 500):
        query = (
            sa.select(Review)
            .where(Review.slug.in_(slugs[start : start + 500]))
            .options(selectinload(Review.tags), selectinload(Review.characters))
        )
        found.update((r.slug, r) for r in db.session.scalars(query))
    return found


def _tag_spellings(names: list[str]) -> dict[str, str]:
    """Each tag key's spelling: the journal's where the tag exists, else the first seen."""
    keys = sorted({tag_key(n) for n in names})
    spellings: dict[str, str] = {}
    for start in range(0, len(keys), 500):
        query = sa.select(Tag).where(Tag.key.in_(keys[start : start + 500]))
        spellings.update((t.key, t.name) for t in db.session.scalars(query))
    for name in names:
        spellings.setdefault(tag_key(name), name)
    return spellings


def _complete_times(record: Record, review: Review | None, now: datetime) -> None:
    """Front matter times are the truth; what a file leaves out comes from the journal or now."""
    record.lastmod_given = record.updated_at is not None
    old = review_to_record(review) if review else None
    if record.status == PUBLISHED:
        record.published_at = record.published_at or (old and old.published_at) or now
        record.created_at = record.created_at or (old and old.created_at) or record.published_at
    else:
        record.created_at = (
            record.created_at or record.published_at or (old and old.created_at) or now
        )
        record.published_at = review.published_at if review else None
    record.updated_at = (
        record.updated_at
        or (old and old.updated_at)
        or max(record.created_at, record.published_at or record.created_at)
    )


def apply_import(plan: ImportPlan, now: datetime | None = None) -> ImportPlan:
    """Write the plan in one transaction: all of it or, on any failure, nothing."""
    if not plan.ok:
        raise ValueError("an import with errors cannot be applied")
    now = (now or utcnow()).replace(microsecond=0)
    try:
        for item in plan.items:
            if item.action != "unchanged":
                _write(item, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return plan


def _write(item: PlanItem, now: datetime) -> None:
    record = item.record
    review = db.session.get(Review, item.review_id) if item.review_id else editing.new_review()
    is_new = review.id is None
    review.title, review.slug = record.title, record.slug
    review.status = record.status
    review.created_at = record.created_at
    review.published_at = record.published_at
    review.updated_at = record.updated_at if record.lastmod_given or is_new else now
    if is_new:
        review.version = 1
        db.session.add(review)  # in the session before its tags, so they can point to it
    else:
        review.version += 1
    data = {**record.fields, "title": record.title, "body": normalize_body(record.body)}
    data["tags"] = ", ".join(record.tags)
    editing.apply_fields(review, data)
    review.slug = record.slug  # the file's slug wins over the one derived from the title
    wanted = [tuple(c.get(k) for k in CHARACTER_KEYS) for c in record.characters]
    have = [(c.name, c.actor, c.nickname, c.notes or None) for c in review.characters]
    if wanted != have:
        review.characters = [
            Character(name=n, actor=a, nickname=k, notes=notes or "", position=i)
            for i, (n, a, k, notes) in enumerate(wanted)
        ]
    db.session.flush()
    snapshot = editing.snapshot(review)
    db.session.add(Revision(review=review, version=review.version, data=snapshot))
