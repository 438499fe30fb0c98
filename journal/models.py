"""The journal's data: reviews, their genres, characters, episode notes and viewings, revisions
and the writer."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from . import fields
from .actors import actor_slug
from .extensions import db

DRAFT = "draft"
PUBLISHED = "published"


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


review_tags = sa.Table(
    "review_tags",
    db.metadata,
    sa.Column("review_id", sa.ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Writer(UserMixin, db.Model):
    """The one writer: `singleton` is 1 and unique, so a second row can never be stored."""

    __tablename__ = "writers"
    __table_args__ = (sa.CheckConstraint("singleton = 1", name="ck_writers_one_writer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    singleton: Mapped[int] = mapped_column(default=1, server_default="1", unique=True)
    # In every session at login; Log out and a new password raise it, ending earlier sessions.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    def get_id(self) -> str:
        """What Flask-Login keeps in the session (and load_writer checks on each request)."""
        return f"{self.id}.{self.session_generation}"

    def end_sessions(self) -> None:
        self.session_generation += 1

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        if self.id is not None:
            self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class LoginAttempt(db.Model):
    """Login attempts of one client address in the current minute, shared by every worker."""

    __tablename__ = "login_attempts"

    client: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int]
    window_start: Mapped[float]  # seconds since the epoch: the same clock in every process
    next_check: Mapped[float]


class Review(db.Model):
    """Times are stored as naive UTC; the journal's time zone applies only on display and export."""

    __tablename__ = "reviews"
    __table_args__ = (sa.Index("ix_reviews_status_published_at", "status", "published_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    work_title: Mapped[str | None] = mapped_column(sa.String(300))
    original_title: Mapped[str | None] = mapped_column(sa.String(300))
    media_type: Mapped[str | None] = mapped_column(sa.String(40))
    year: Mapped[int | None]
    where_to_watch: Mapped[str | None] = mapped_column(sa.String(200))
    episodes: Mapped[int | None]
    runtime_minutes: Mapped[int | None]
    rating: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    verdict: Mapped[str | None] = mapped_column(sa.String(300))
    # The reviewer's record (DESIGN.md): sub-scores, watch status, progress, spoilers, facts.
    story_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    acting_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    music_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    rewatch_score: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    watch_status: Mapped[str | None] = mapped_column(sa.String(20))
    episodes_seen: Mapped[int | None]
    contains_spoilers: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    network: Mapped[str | None] = mapped_column(sa.String(120))
    country: Mapped[str | None] = mapped_column(sa.String(80))
    director: Mapped[str | None] = mapped_column(sa.String(200))
    screenwriter: Mapped[str | None] = mapped_column(sa.String(200))
    # Episodes seen when the review was first published with a count ("Reviewed after episode
    # 8"): a later, higher count reads "Updated after episode 16".
    first_episodes_seen: Mapped[int | None]
    body: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(16), default=DRAFT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    published_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    # The body rendered and sanitized once per save (rendered.py); NULL until rendered.
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    body_html_version: Mapped[int | None]
    # The cover (journal/covers.py): the stored image's name (its content hash), the large
    # copy's size, and its alt text.
    cover: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    cover_width: Mapped[int | None]
    cover_height: Mapped[int | None]
    cover_alt: Mapped[str | None] = mapped_column(sa.String(300))

    tags: Mapped[list[Tag]] = relationship(
        secondary=review_tags, back_populates="reviews", order_by="Tag.name"
    )
    characters: Mapped[list[Character]] = relationship(
        back_populates="review",
        order_by="Character.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    episode_notes: Mapped[list[EpisodeNote]] = relationship(
        back_populates="review",
        order_by="EpisodeNote.episode",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    viewings: Mapped[list[Viewing]] = relationship(
        back_populates="review",
        order_by="(Viewing.watched_on, Viewing.id)",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    revisions: Mapped[list[Revision]] = relationship(
        back_populates="review",
        order_by="Revision.id",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @validates(*fields.REVIEW)
    def _normalize(self, name: str, value):
        """Every write, whoever makes it (editor, autosave, restore, import), stores one form."""
        return fields.REVIEW[name].normalize(value)

    @validates(*fields.COVER)
    def _normalize_cover(self, name: str, value):
        return fields.COVER[name].normalize(value)

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED

    def __repr__(self) -> str:
        return f"<Review {self.slug!r} {self.status}>"


class Tag(db.Model):
    """A genre. `key` is the case- and space-folded name that makes two spellings one tag."""

    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)

    reviews: Mapped[list[Review]] = relationship(secondary=review_tags, back_populates="tags")


class Character(db.Model):
    __tablename__ = "characters"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reviews.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    actor: Mapped[str | None] = mapped_column(sa.String(120))
    # Kept with the name so an actor's page finds their characters through an index.
    actor_slug: Mapped[str | None] = mapped_column(sa.String(80), index=True)
    nickname: Mapped[str | None] = mapped_column(sa.String(120))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)
    notes_html: Mapped[str | None] = mapped_column(sa.Text)
    notes_html_version: Mapped[int | None]

    review: Mapped[Review] = relationship(back_populates="characters")

    @validates(*fields.CHARACTER)
    def _normalize(self, name: str, value):
        value = fields.CHARACTER[name].normalize(value)
        if name == "actor":
            self.actor_slug = actor_slug(value)
        return value


class EpisodeNote(db.Model):
    """The writer's note on one episode of a review's work: one per episode number."""

    __tablename__ = "episode_notes"
    __table_args__ = (
        sa.UniqueConstraint("review_id", "episode", name="uq_episode_notes_review_episode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(sa.ForeignKey("reviews.id", ondelete="CASCADE"))
    episode: Mapped[int]
    title: Mapped[str | None] = mapped_column(sa.String(300))
    rating: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    notes_html: Mapped[str | None] = mapped_column(sa.Text)
    notes_html_version: Mapped[int | None]

    review: Mapped[Review] = relationship(back_populates="episode_notes")

    @validates(*fields.EPISODE_NOTE)
    def _normalize(self, name: str, value):
        return fields.EPISODE_NOTE[name].normalize(value)


class Viewing(db.Model):
    """One viewing in the diary: the day the writer watched the review's work."""

    __tablename__ = "viewings"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reviews.id", ondelete="CASCADE"), index=True
    )
    watched_on: Mapped[date] = mapped_column(index=True)
    rewatch: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(sa.String(300))
    rating: Mapped[Decimal | None] = mapped_column(sa.Numeric(3, 1))
    version: Mapped[int] = mapped_column(default=1)

    review: Mapped[Review] = relationship(back_populates="viewings")

    @validates(*fields.VIEWING)
    def _normalize(self, name: str, value):
        return fields.VIEWING[name].normalize(value)


class Revision(db.Model):
    """A snapshot of a review's text and metadata (`data`, JSON) at one save."""

    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(
        sa.ForeignKey("reviews.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    kind: Mapped[str] = mapped_column(sa.String(16), default="save")
    version: Mapped[int] = mapped_column(default=1)
    data: Mapped[dict] = mapped_column(sa.JSON)
    # The editor page (one tab's token) that autosaved it: a burst collapses per tab.
    editor: Mapped[str | None] = mapped_column(sa.String(32))

    review: Mapped[Review] = relationship(back_populates="revisions")
