"""The table of a review's and a character's fields: the one place for each field's rules.

Each `Field` says what the field is called on screen (DESIGN's fixed words), what it holds, its
limits, how an empty value is stored, its front-matter key in the export and the keys import
also accepts. The editor's forms (journal/web/forms.py), the models' normalization
(journal/models.py), revision snapshots (journal/editing.py, journal/revisions.py), export
(journal/exchange.py) and import (journal/records.py) all read these tables, so a new field is
one entry here, a migration and the lines of templates that show it (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

LINE, TEXT, INTEGER, RATING = "line", "text", "integer", "rating"
IMAGE = "image"  # the cover: its file comes with its own form (journal/covers.py)


@dataclass(frozen=True)
class Field:
    name: str  # the model's attribute, the form's field, the snapshot's key
    label: str  # the control's accessible name (DESIGN.md's fixed words)
    kind: str  # LINE: one line of text; TEXT: Markdown, many lines; INTEGER; RATING: 0-10, halves
    max_length: int | None = None
    low: int | None = None  # INTEGER: the smallest and largest value accepted
    high: int | None = None
    message: str | None = None  # the editor's words for a value out of range or too long
    required: str | None = None  # the editor's words when a required value is missing
    key: str | None = None  # its front-matter key; None: not a front-matter value of its own
    aliases: tuple[str, ...] = ()  # other front-matter keys import reads as this field
    plain: bool = False  # exported unquoted where YAML reads it back unchanged
    own: bool = False  # a key only this journal writes (import: the file is the journal's own)

    @property
    def empty(self) -> str | None:
        """How "no value" is stored: "" for the title and Markdown text, else None (NULL)."""
        return "" if self.kind == TEXT or self.required else None

    @property
    def keys(self) -> tuple[str, ...]:
        return (self.key, *self.aliases) if self.key else self.aliases

    def normalize(self, value: Any) -> Any:
        """The one normalization every write goes through (the models call it on assignment):
        one-line text trimmed, Markdown text with LF line endings, blank text stored as empty."""
        if value is None:
            return self.empty
        if self.kind == LINE and isinstance(value, str):
            return value.strip() or self.empty
        if self.kind == TEXT and isinstance(value, str):
            value = value.replace("\r\n", "\n").replace("\r", "\n")
            return value if value.strip() else self.empty
        if self.kind == RATING and value == "":
            return None
        return value

    def to_snapshot(self, value: Any) -> Any:
        """The value as a revision's JSON holds it (a rating as text, so 8.5 stays exact)."""
        value = self.normalize(value)
        return str(value) if isinstance(value, Decimal) else value


def _line(name, label, max_length, key=None, **options) -> Field:
    return Field(name, label, LINE, max_length=max_length, key=key, **options)


def _integer(name, label, low, high, message, **options) -> Field:
    return Field(name, label, INTEGER, low=low, high=high, message=message, key=name, plain=True,
                 **options)  # fmt: skip


# In the export's order (DESIGN.md: "Markdown export format"). `title` has its own place at the
# top of the front matter, and the body follows it; the rest are written in this order.
REVIEW_FIELDS = (
    _line("title", "Title", 300, required="Give the review a title to publish it."),
    _line("verdict", "Verdict", 300, key="description"),
    _line("work_title", "Work title", 300, key="work_title", own=True),
    _line("original_title", "Original title", 300, key="original_title", own=True),
    _line("media_type", "Type", 40, key="media_type", plain=True, own=True),
    _integer("year", "Year", 1870, 2200, "Enter a year between 1870 and 2200."),
    _line("where_to_watch", "Where to watch", 200, key="where_to_watch", plain=True, own=True),
    _integer("episodes", "Episodes", 1, 10_000, "Enter a number of episodes from 1."),
    _integer(
        "runtime_minutes",
        "Runtime (minutes)",
        1,
        2_000,
        "Enter minutes per episode from 1.",
        own=True,
    ),  # fmt: skip
    Field("rating", "Rating", RATING, message="Rate from 0 to 10.", key="rating"),
    Field(
        "body",
        "Body",
        TEXT,
        max_length=200_000,
        message="The body is limited to 200,000 characters.",
    ),  # fmt: skip
)

# The cover: not in the editor's main form (an upload must not ride on every autosave), so
# not in REVIEW_FIELDS; after them in the export. `cover` holds the stored image's name.
COVER_FIELDS = (
    Field("cover", "Cover image", IMAGE, key="image", plain=True),
    _line("cover_alt", "Cover alt text", 300, key="image_alt",
          message="Give the cover a short description (alt text)."),
)  # fmt: skip

CHARACTER_FIELDS = (
    _line("name", "Name", 120, key="name", required="Give the character a name."),
    _line("actor", "Actor", 120, key="actor"),
    _line("nickname", "Nickname", 120, key="nickname"),
    Field(
        "notes",
        "Notes",
        TEXT,
        max_length=20_000,
        key="notes",
        message="Notes are limited to 20,000 characters.",
    ),  # fmt: skip
)

REVIEW = {f.name: f for f in REVIEW_FIELDS}
COVER = {f.name: f for f in COVER_FIELDS}
CHARACTER = {f.name: f for f in CHARACTER_FIELDS}
# The review's facts: every field but the Markdown body, as History and the conflict view list them.
FACT_FIELDS = tuple(f for f in REVIEW_FIELDS if f.kind != TEXT)
# The fields a front-matter key of its own carries (not the title, which has its own place).
FRONT_MATTER_FIELDS = tuple(f for f in REVIEW_FIELDS + COVER_FIELDS if f.key and f.name != "title")


def normalized(table: tuple[Field, ...], data: dict[str, Any]) -> dict[str, Any]:
    """`data`'s values for the table's fields, normalized; missing ones empty."""
    return {f.name: f.normalize(data.get(f.name)) for f in table}
