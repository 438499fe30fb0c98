"""Import planning and writing: what a set of files would do (nothing written), then all of it
in one transaction. No request objects here.

Every file is read before anything is decided. Then, with the whole import in view: each file
gets a slug no other file of the import and no static site generator's reserved name takes;
only a file that carries this journal's own slug (records.OWN_KEYS) updates the review with that
slug, while any other file that wants a taken slug gets a distinct one with a warning (unless
the review there is exactly what the file would make: importing the same files twice changes
nothing); ratings without a scale are put on one; Obsidian wikilinks point at their reviews.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from . import covers, editing, fields, wikilinks
from .archives import Source, SourceFile
from .episodes import TABLES
from .exchange import export_review, render_record, review_to_record
from .extensions import db
from .formatting import counted, journal_zone
from .frontmatter import clip
from .models import PUBLISHED, Character, EpisodeNote, Review, Revision, Tag, Viewing, utcnow
from .paths import skip_reason
from .ratings import RatingProblem, out_of_ten
from .records import ImportProblem, Record, normalize_body, parse_record
from .slugs import MAX_SLUG_LENGTH, is_reserved_slug
from .tagging import tag_key, tags_for_names

# Files that show the source is a Hugo site, where a page without a date is published (and
# `_index.md`). A folder name proves nothing: a vault's notes must not be published by guess.
_FLUSH_EVERY = 200
HUGO_MARKERS = {"hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml"}


@dataclass
class PlanItem:
    name: str
    action: str  # "create", "update" or "unchanged"
    record: Record
    warnings: list[str]
    review_id: int | None = None
    slug: str = ""  # the slug the review will have


@dataclass
class ImportPlan:
    items: list[PlanItem] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    rating_scale: int | None = None  # the scale chosen for ratings that have none
    unscaled_ratings: int = 0  # ratings without a scale, all 5 or less: which scale is asked

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def asks_rating_scale(self) -> bool:
        return self.unscaled_ratings > 0 and self.rating_scale is None

    def count(self, action: str) -> int:
        return sum(1 for item in self.items if item.action == action)

    @property
    def warnings(self) -> list[str]:
        return [f"{item.name}: {w}" for item in self.items for w in item.warnings]

    def describe(self) -> str:
        text = (
            f"{self.count('create')} to create, {self.count('update')} to update, "
            f"{self.count('unchanged')} unchanged, {len(self.skipped)} skipped"
        )
        return text + (f", {len(self.errors)} cannot be read" if self.errors else "")

    def describe_done(self) -> str:
        """What an import did, in the past tense (the dry run's report says "to create")."""
        return (
            f"{self.count('create')} created, {self.count('update')} updated, "
            f"{self.count('unchanged')} unchanged, {len(self.skipped)} skipped"
            + (f", {len(self.errors)} that cannot be read left out" if self.errors else "")
        )

    def describe_contents(self) -> str:
        """What the files hold: "3 published, 1 draft, 12 characters, 4 genres"."""
        published = sum(1 for item in self.items if item.record.status == PUBLISHED)
        characters = sum(len(item.record.characters) for item in self.items)
        genres = len({tag.casefold() for item in self.items for tag in item.record.tags})
        return (
            f"{published} published, {counted(len(self.items) - published, 'draft')}, "
            f"{counted(characters, 'character')}, {counted(genres, 'genre')}"
        )

    def scale_question(self) -> str:
        return (
            f"{self.unscaled_ratings} rating(s) give no scale and none is above 5: "
            "are they out of 5 or out of 10?"
        )


class ImportRefused(ValueError):
    """The plan cannot be applied as asked; the message says what the writer must choose."""


def parse_markdown(name: str, data: bytes, zone: ZoneInfo | None = None) -> Record:
    """One file's review as a Record (times may be None). Raises ImportProblem."""
    return parse_record(name, data, zone or journal_zone(), now=utcnow())


def is_hugo_source(source: Source) -> bool:
    names = [f.name for f in source.files] + [name for name, _ in source.skipped]
    return any(
        PurePosixPath(n).name in HUGO_MARKERS or PurePosixPath(n).name == "_index.md" for n in names
    )


def plan_import(
    source: Source,
    zone: ZoneInfo | None = None,
    now: datetime | None = None,
    progress: Callable[[SourceFile], None] | None = None,
    rating_scale: int | None = None,
) -> ImportPlan:
    """What an import would do, written nowhere."""
    zone, now = zone or journal_zone(), (now or utcnow()).replace(microsecond=0)
    plan = ImportPlan(skipped=list(source.skipped), rating_scale=rating_scale)
    hugo = is_hugo_source(source)
    parsed: list[tuple[str, Record]] = []
    # In name order, so that a folder and a zip of the same files give the same plan.
    for file in sorted(source.files, key=lambda f: f.name):
        if progress:
            progress(file)
        reason = skip_reason(file.name)
        if reason:
            plan.skipped.append((file.name, reason))
            continue
        try:
            parsed.append((file.name, parse_record(file.name, file.data, zone, now=now, hugo=hugo)))
        except ImportProblem as problem:
            plan.errors.append((file.name, str(problem)))
    parsed = _apply_ratings(parsed, plan)
    for name, record in parsed:
        _find_cover(name, record, source.images)
    spellings = _tag_spellings([t for _, r in parsed for t in r.tags])
    for _, record in parsed:
        record.tags = sorted({spellings[tag_key(t)] for t in record.tags})
    _Allocation(parsed, plan, zone, now).run()
    plan.skipped.sort()
    return plan


def _apply_ratings(parsed: list[tuple[str, Record]], plan: ImportPlan) -> list:
    unscaled = [r.rating for _, r in parsed if r.rating and r.rating.scale is None]
    if unscaled and all(raw.value <= 5 for raw in unscaled):
        plan.unscaled_ratings = len(unscaled)
    kept = []
    for name, record in parsed:
        if record.rating is not None:
            try:
                record.fields["rating"], warning = out_of_ten(record.rating, plan.rating_scale)
            except RatingProblem as problem:
                plan.errors.append((name, str(problem)))
                continue
            if warning:
                record.warnings.append(warning)
        kept.append((name, record))
    return kept


def _find_cover(name: str, record: Record, images: dict[str, bytes]) -> None:
    """The file `image` names, checked as an upload is (a WebP this journal wrote is kept as
    is). A cover that is missing or refused is a warning: the review comes without it."""
    path = record.fields.get("cover")
    record.fields["cover"] = None
    if not path:
        record.fields["cover_alt"] = None
        return
    data = _image_file(name, path, images)
    problem = None
    if "://" in path or path.startswith("data:"):
        problem = "it is a web address; covers come only from the files of the import"
    elif data is None:
        problem = "no such file in this import"
    else:
        try:
            record.cover = covers.process(data, keep_canonical=True)
        except covers.CoverProblem as refused:
            problem = str(refused)
    if problem:
        record.fields["cover_alt"] = None
        record.warnings.append(f"its “image” ({clip(path)}) is not imported: {problem}")
        return
    record.fields["cover"] = record.cover.name
    if not record.fields.get("cover_alt"):
        record.warnings.append("its cover has no “image_alt”: give it alt text in the editor")


def _image_file(name: str, path: str, images: dict[str, bytes]) -> bytes | None:
    """`covers/x.webp` from the root of the import, from beside the file, or under a top folder
    the archive adds."""
    wanted = path.removeprefix("./").lstrip("/")
    beside = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
    for candidate in (wanted, beside):
        if candidate in images:
            return images[candidate]
    return next((data for key, data in images.items() if key.endswith("/" + wanted)), None)


class _Allocation:
    """Final slugs and wikilinks for the parsed files, and each file's action."""

    def __init__(self, parsed, plan: ImportPlan, zone: ZoneInfo, now: datetime) -> None:
        self.parsed, self.plan, self.zone, self.now = parsed, plan, zone, now
        self.taken_slugs = set(db.session.scalars(sa.select(Review.slug)))
        self.reviews: dict[str, Review] = {}
        self.names: dict[str, int] = {}
        for index, (_, record) in enumerate(parsed):
            for name in record.link_names:
                self.names.setdefault(wikilinks.key(name), index)

    def run(self) -> None:
        self.wanted = [_wanted_slug(record) for _, record in self.parsed]
        self._prefetch(self.wanted)
        guess = list(self.wanted)
        for _ in range(3):  # wikilinks depend on slugs and, through "unchanged", slugs on them
            final = self._allocate(guess)
            if final == guess:
                break
            guess = final
        self.plan.items.sort(key=lambda item: item.name)
        for item in self.plan.items:
            self._finish(item, guess)

    def _allocate(self, guess: list[str]) -> list[str]:
        self.plan.items, used, final = [], set(), list(guess)
        order = sorted(range(len(self.parsed)), key=lambda i: not self.parsed[i][1].own)
        for index in order:
            name, record = self.parsed[index]
            wanted = self.wanted[index]
            slug, action, review = self._place(record, wanted, used, guess)
            used.add(slug)
            final[index] = slug
            warnings = list(record.warnings)
            if record.language:
                warnings.append(f"a translation ({record.language}), imported as its own review")
            if slug != wanted:
                warnings.append(self._moved(wanted, slug, record.own))
            self.plan.items.append(
                PlanItem(name, action, record, warnings, review.id if review else None, slug)
            )
        return final

    def _place(self, record: Record, wanted: str, used: set[str], guess: list[str]):
        """(slug, action, existing review) for the first candidate this file may have."""
        candidate, n = wanted, 1
        while True:
            if not is_reserved_slug(candidate) and candidate not in used:
                if candidate not in self.taken_slugs:
                    return candidate, "create", None
                review = self._review(candidate)
                same = self._unchanged(record, candidate, review, guess)
                if same:
                    return candidate, "unchanged", review
                if record.own and candidate == wanted:
                    return candidate, "update", review
            n += 1
            suffix = f"-{n}"
            candidate = wanted[: MAX_SLUG_LENGTH - len(suffix)] + suffix

    def _moved(self, wanted: str, slug: str, own: bool) -> str:
        if is_reserved_slug(wanted):
            return f"“{wanted}” is a name static site generators reserve, so its slug is “{slug}”"
        if wanted in self.taken_slugs and not own:
            return (
                f"a review with the slug “{wanted}” exists and this file is not one of this "
                f"journal's own, so it is imported as “{slug}”"
            )
        return f"another file of this import wants the slug “{wanted}”, so its slug is “{slug}”"

    def _unchanged(self, record: Record, slug: str, review: Review, guess: list[str]) -> bool:
        trial = replace(record, slug=slug, body=self._body(record, guess).body)
        _complete_times(trial, review, self.now)
        same_cover = record.fields.get("cover") == review.cover
        return same_cover and render_record(trial, self.zone) == export_review(review, self.zone)

    def _body(self, record: Record, guess: list[str]) -> wikilinks.Converted:
        if record.own:
            return wikilinks.Converted(record.body)

        def slug_for(name_key: str) -> str | None:
            index = self.names.get(name_key)
            return guess[index] if index is not None else None

        return wikilinks.convert(record.body, slug_for)

    def _finish(self, item: PlanItem, final: list[str]) -> None:
        record = item.record
        converted = self._body(record, final)
        record.body, record.slug = converted.body, item.slug
        item.warnings += [f"{link} names no note of this import: kept as text" for link in
                          converted.unresolved]  # fmt: skip
        self.plan.skipped += [(f"{item.name}: {e}", "an embed, not imported") for e in
                              converted.embeds]  # fmt: skip
        review = self.reviews.get(record.slug) if item.review_id else None
        _complete_times(record, review, self.now)

    def _review(self, slug: str) -> Review:
        if slug not in self.reviews:
            self._prefetch([slug])
        return self.reviews[slug]

    def _prefetch(self, slugs: list[str]) -> None:
        wanted = [s for s in set(slugs) if s in self.taken_slugs and s not in self.reviews]
        for start in range(0, len(wanted), 500):
            query = (
                sa.select(Review)
                .where(Review.slug.in_(wanted[start : start + 500]))
                .options(
                    selectinload(Review.tags),
                    selectinload(Review.characters),
                    selectinload(Review.episode_notes),
                    selectinload(Review.viewings),
                )
            )
            self.reviews.update((r.slug, r) for r in db.session.scalars(query))


def _wanted_slug(record: Record) -> str:
    """A translation's slug ends in its language: `night-train-zh`."""
    if not record.language:
        return record.slug
    return f"{record.slug[: MAX_SLUG_LENGTH - len(record.language) - 1]}-{record.language}"


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


def apply_import(
    plan: ImportPlan, now: datetime | None = None, *, skip_unreadable: bool = False
) -> ImportPlan:
    """Write the plan in one transaction: all of it or, on any failure, nothing. Files that
    cannot be read stop the import unless `skip_unreadable`; then the rest goes in."""
    if plan.errors and not skip_unreadable:
        raise ImportRefused(
            f"{len(plan.errors)} file(s) cannot be read; nothing was imported. "
            "Fix them, or skip the files that cannot be read."
        )
    if plan.asks_rating_scale:
        raise ImportRefused(plan.scale_question() + " Choose the rating scale.")
    now = (now or utcnow()).replace(microsecond=0)
    try:
        writing = [item for item in plan.items if item.action != "unchanged"]
        names = sorted({name for item in writing for name in item.record.tags})
        tags = {tag.key: tag for tag in tags_for_names(names)}  # one look-up for the import
        replaced: set[str] = set()
        for number, item in enumerate(writing, 1):
            replaced.add(_write(item, now, tags))
            if number % _FLUSH_EVERY == 0:
                db.session.flush()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    replaced.discard(None)
    if replaced:
        covers.drop_unused(covers.covers_root(current_app.instance_path), replaced)
    return plan


def _write_cover(review: Review, record: Record) -> str | None:
    """The record's cover on the review; returns the name of a cover it replaced."""
    cover, old = record.cover, review.cover
    replaced = old if old and (cover is None or cover.name != old) else None
    if cover is None:
        review.cover = review.cover_width = review.cover_height = review.cover_alt = None
        return replaced
    covers.store(covers.covers_root(current_app.instance_path), cover)
    review.cover, review.cover_width, review.cover_height = cover.name, cover.width, cover.height
    review.cover_alt = record.fields.get("cover_alt")
    return replaced


def _write(item: PlanItem, now: datetime, tags: dict[str, Tag]) -> str | None:
    """Returns the name of a cover the file replaced (its files go after the commit)."""
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
    editing.apply_fields(review, data)
    editing.note_progress(review)
    review.slug = record.slug  # the file's slug wins over the one derived from the title
    replaced = _write_cover(review, record)
    review.tags = [tags[tag_key(name)] for name in record.tags]
    wanted = [fields.normalized(fields.CHARACTER_FIELDS, c) for c in record.characters]
    have = [
        {f.name: getattr(c, f.name) for f in fields.CHARACTER_FIELDS} for c in review.characters
    ]
    if wanted != have:
        review.characters = [Character(position=i, **c) for i, c in enumerate(wanted)]
    _replace_items(review, "episode_notes", EpisodeNote, record.episode_notes)
    _replace_items(review, "viewings", Viewing, record.viewings)
    snapshot = editing.snapshot(review)
    db.session.add(Revision(review=review, version=review.version, data=snapshot))
    return replaced


def _replace_items(review: Review, name: str, model, items: list[dict]) -> None:
    """A review's episode notes or viewings become the file's, when they differ."""
    table = TABLES[model]
    wanted = [fields.normalized(table, item) for item in items]
    have = [{f.name: getattr(row, f.name) for f in table} for row in getattr(review, name)]
    if wanted != have:
        if have:
            setattr(review, name, [])
            db.session.flush()  # the old rows go first: an episode's note is unique per review
        setattr(review, name, [model(version=1, **item) for item in wanted])
