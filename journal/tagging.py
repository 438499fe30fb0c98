"""Genres: one tag per case- and space-folded name, spelled as first typed."""

from __future__ import annotations

import sqlalchemy as sa

from .extensions import db
from .models import PUBLISHED, Review, Tag, review_tags
from .slugs import slug_family, slugify, unique_slug


def clean_name(name: str) -> str:
    return " ".join(name.split())


def tag_key(name: str) -> str:
    return clean_name(name).casefold()


def parse_tag_names(text: str | None) -> list[str]:
    """Comma-separated names, cleaned, first spelling of each kept, order kept."""
    names: dict[str, str] = {}
    for part in (text or "").split(","):
        name = clean_name(part)[:60]
        if name:
            names.setdefault(tag_key(name), name)
    return list(names.values())


def tag_field_text(names: list[str]) -> str:
    """The Tags field as the editor shows it: saved names end in a separator, so typing adds."""
    return ", ".join(names) + ", " if names else ""


def settled_tag_text(text: str | None, current: list[str]) -> str:
    """What an autosave may apply from the Tags field while the writer may still be typing.

    A genre is made by a comma (or Enter, a picked suggestion, Save or Publish), never by the
    pause of an autosave. Text after the last comma that names none of the review's genres is
    a name still being typed: the names before it apply, and the review's genres it may have
    been typed onto ("K-drama" + "Myst") stay.
    """
    text = text or ""
    done, _, typing = text.rpartition(",")
    if not tag_key(typing) or tag_key(typing) in {tag_key(n) for n in current}:
        return text
    names = parse_tag_names(done)
    chosen = {tag_key(n) for n in names}
    names += [n for n in current if tag_key(n) not in chosen]
    return ", ".join(names)


def drop_unused_tags(tag_ids) -> None:
    """Genres among `tag_ids` that no review has any more disappear (not committed)."""
    tag_ids = list(tag_ids)
    if not tag_ids:
        return
    used = sa.exists().where(review_tags.c.tag_id == Tag.id)
    unused = sa.delete(Tag).where(Tag.id.in_(tag_ids), ~used)
    db.session.execute(unused.execution_options(synchronize_session=False))


def tags_for_names(names: list[str]) -> list[Tag]:
    """The Tag for each name, creating the ones that do not exist yet."""
    if not names:
        return []
    keys = [tag_key(n) for n in names]
    existing = {t.key: t for t in db.session.scalars(sa.select(Tag).where(Tag.key.in_(keys)))}
    # One query per distinct slug base, whatever the number of new genres that share it.
    families: dict[str, set[str]] = {}
    given: set[str] = set()  # slugs of this call's new genres, not flushed yet
    tags = []
    for name, key in zip(names, keys, strict=True):
        tag = existing.get(key)
        if tag is None:
            base = slugify(name) or "genre"
            if base not in families:
                query = sa.select(Tag.slug).where(slug_family(Tag.slug, base))
                with db.session.no_autoflush:
                    families[base] = set(db.session.scalars(query))
            family = families[base]
            slug = unique_slug(base, lambda s, f=family: s in f or s in given, "genre")
            given.add(slug)
            family.add(slug)
            tag = Tag(name=name, key=key, slug=slug)
            db.session.add(tag)
            existing[key] = tag
        tags.append(tag)
    return tags


# Counts, suggestions and the writer's genre management. Each function runs a fixed number of
# statements whatever the number of genres or reviews.


def tag_counts(include_drafts: bool = False) -> list[tuple[Tag, int]]:
    """Genres with their number of reviews, A to Z (genres without any are left out)."""
    # Count in review_tags first, then join the few genres: cheaper than grouping the join.
    counts = (
        sa.select(review_tags.c.tag_id, sa.func.count().label("n"))
        .join(Review, Review.id == review_tags.c.review_id)
        .group_by(review_tags.c.tag_id)
    )
    if not include_drafts:
        counts = counts.where(Review.status == PUBLISHED)
    counts = counts.subquery()
    query = sa.select(Tag, counts.c.n).join(counts, counts.c.tag_id == Tag.id).order_by(Tag.key)
    return [(tag, count) for tag, count in db.session.execute(query)]


def manage_rows() -> list[tuple[Tag, int, int]]:
    """Every genre with its count of reviews (drafts included) and of published reviews."""
    query = (
        sa.select(
            Tag,
            sa.func.count(Review.id),
            sa.func.count(sa.case((Review.status == PUBLISHED, Review.id))),
        )
        .outerjoin(review_tags, review_tags.c.tag_id == Tag.id)
        .outerjoin(Review, Review.id == review_tags.c.review_id)
        .group_by(Tag.id)
        .order_by(Tag.key)
    )
    return [(tag, total, published) for tag, total, published in db.session.execute(query)]


def suggestions(text: str | None, limit: int = 8) -> tuple[str, list[tuple[Tag, int]]]:
    """Genres matching the name being typed (the text after the last comma), with counts that
    include drafts; names already in the field are left out. Returns (fragment, suggestions)."""
    *chosen, fragment = (text or "").split(",")
    fragment_key = tag_key(fragment)
    if not fragment_key:
        return "", []
    chosen_keys = {tag_key(n) for n in chosen}
    pattern = "%" + fragment_key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (
        sa.select(Tag, sa.func.count(review_tags.c.review_id))
        .outerjoin(review_tags, review_tags.c.tag_id == Tag.id)
        .where(Tag.key.like(pattern, escape="\\"))
        .group_by(Tag.id)
    )
    rows = [(t, n) for t, n in db.session.execute(query) if t.key not in chosen_keys]
    # Names that start with what was typed first, then the most used.
    rows.sort(key=lambda row: (not row[0].key.startswith(fragment_key), -row[1], row[0].key))
    return clean_name(fragment), rows[:limit]


class GenreError(ValueError):
    """A genre change that cannot be made; the message says why, for the writer."""


def rename_tag(tag: Tag, new_name: str) -> None:
    """Give a genre a new spelling or name. Its slug stays, so links and feeds keep working."""
    name = clean_name(new_name)[:60]
    if not name:
        raise GenreError("Give the genre a name.")
    key = tag_key(name)
    other = db.session.scalar(sa.select(Tag).where(Tag.key == key, Tag.id != tag.id))
    if other is not None:
        raise GenreError(f"A genre called “{other.name}” already exists: merge into it instead.")
    tag.name, tag.key = name, key
    db.session.commit()


def merge_tag(source: Tag, target: Tag) -> int:
    """Move every review of `source` to `target` (reviews keep all their other genres), then
    remove `source`. Returns the number of reviews that were tagged `source`."""
    if source.id == target.id:
        raise GenreError("Choose another genre to merge into.")
    moved = sa.select(review_tags.c.review_id).where(review_tags.c.tag_id == source.id)
    already = sa.select(review_tags.c.review_id).where(review_tags.c.tag_id == target.id)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(moved.subquery()))
    db.session.execute(
        review_tags.insert().from_select(
            ["review_id", "tag_id"],
            sa.select(review_tags.c.review_id, sa.literal(target.id)).where(
                review_tags.c.tag_id == source.id, review_tags.c.review_id.not_in(already)
            ),
        )
    )
    _delete(source)
    return count or 0


def delete_tag(tag: Tag) -> None:
    """Remove a genre from every review; the reviews themselves stay."""
    _delete(tag)


def _delete(tag: Tag) -> None:
    tag_id = tag.id
    db.session.execute(review_tags.delete().where(review_tags.c.tag_id == tag_id))
    db.session.execute(sa.delete(Tag).where(Tag.id == tag_id))
    db.session.commit()
    db.session.expire_all()
