"""The tables of a review's, a character's, an episode note's and a viewing's fields: the one
place for each field's rules.

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
CHOICE, BOOLEAN = "choice", "boolean"  # one of `choices`; a checkbox (absent is False)
DATE = "date"  # a calendar day; `low` is the first year accepted, and no day after today

# MyDramaList's words, which map one-to-one onto Letterboxd's, Trakt's, AniList's and Yamtrack's.
WATCH_STATUSES = (
    "Plan to Watch", "Currently Watching", "Completed", "On-Hold", "Dropped", "Not Interested"
)  # fmt: skip
DROPPED = "Dropped"


@dataclass(frozen=True)
class Field:
    name: str  # the model's attribute, the form's field, the snapshot's key
    label: str  # the control's accessible name (DESIGN.md's fixed words)
    kind: str  # LINE: one line of text; TEXT: Markdown, many lines; INTEGER; RATING: 0-10,
    # halves; CHOICE: one of `choices`; BOOLEAN: yes or no; DATE: a day
    max_length: int | None = None
    low: int | None = None  # INTEGER: the smallest and largest value accepted
    high: int | None = None
    message: str | None = None  # the editor's words for a value out of range or too long
    required: str | None = None  # the editor's words when a required value is missing
    key: str | None = None  # its front-matter key; None: not a front-matter value of its own
    aliases: tuple[str, ...] = ()  # other front-matter keys import reads as this field
    plain: bool = False  # exported unquoted where YAML reads it back unchanged
    own: bool = False  # a key only this journal writes (import: the file is the journal's own)
    group: str | None = None  # exported inside this front-matter mapping, under `key`
    choices: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind == RATING:  # every rating is out of 10 in halves
            object.__setattr__(self, "message", self.message or f"Rate {self.label} from 0 to 10.")

    @property
    def empty(self) -> str | bool | None:
        """How "no value" is stored: "" for the title and Markdown text, False for a checkbox,
        else None (NULL)."""
        if self.kind == BOOLEAN:
            return False
        return "" if self.kind == TEXT or (self.required and self.kind == LINE) else None

    @property
    def keys(self) -> tuple[str, ...]:
        """The top-level front-matter keys that carry this field (a grouped one's: its group)."""
        if self.group:
            return (self.group,)
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
        if self.kind in (RATING, CHOICE, INTEGER, DATE) and value == "":
            return None
        if self.kind == BOOLEAN:
            return bool(value)
        return value

    def is_set(self, value: Any) -> bool:
        """Whether the value says anything (an export leaves out what does not; 0 does say)."""
        value = self.normalize(value)
        return value is not None and value != "" and value is not False

    def shown(self, value: Any) -> str:
        """The value as History and the conflict view write it ("" when it is not set)."""
        if not self.is_set(value):
            return ""
        return "yes" if value is True else str(value)

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
    ),
    Field("rating", "Rating", RATING, message="Rate from 0 to 10.", key="rating"),
    # MyDramaList's sub-scores, each set on its own beside the overall rating.
    Field("story_score", "Story", RATING, key="story", group="scores", own=True),
    Field("acting_score", "Acting/Cast", RATING, key="acting", group="scores", own=True),
    Field("music_score", "Music", RATING, key="music", group="scores", own=True),
    Field("rewatch_score", "Rewatch value", RATING, key="rewatch", group="scores", own=True),
    Field(
        "watch_status",
        "Watch status",
        CHOICE,
        key="watch_status",
        plain=True,
        own=True,
        choices=WATCH_STATUSES,
        message="Choose one of the watch statuses.",
    ),
    _integer(
        "episodes_seen", "Episodes seen", 0, 10_000, "Enter the episodes seen, from 0.", own=True
    ),
    Field(
        "contains_spoilers",
        "Contains spoilers",
        BOOLEAN,
        key="contains_spoilers",
        plain=True,
        own=True,
    ),
    _line("network", "Network", 120, key="network", plain=True, own=True),
    _line("country", "Country", 80, key="country", plain=True, own=True),
    _line("director", "Director", 200, key="director", plain=True, own=True),
    _line("screenwriter", "Screenwriter", 200, key="screenwriter", plain=True, own=True),
    Field(
        "body",
        "Body",
        TEXT,
        max_length=200_000,
        message="The body is limited to 200,000 characters.",
    ),
)

# The cover: not in the editor's main form (an upload must not ride on every autosave), so
# not in REVIEW_FIELDS; after them in the export. `cover` holds the stored image's name.
COVER_FIELDS = (
    Field("cover", "Cover image", IMAGE, key="image", plain=True),
    _line("cover_alt", "Cover alt text", 300, key="image_alt",
          message="Give the cover a short description (alt text)."),
)  # fmt: skip

# A character's notes and an episode's: short Markdown, one limit.
NOTES = Field(
    "notes", "Notes", TEXT, max_length=20_000, key="notes",
    message="Notes are limited to 20,000 characters.",
)  # fmt: skip

CHARACTER_FIELDS = (
    _line("name", "Name", 120, key="name", required="Give the character a name."),
    _line("actor", "Actor", 120, key="actor"),
    _line("nickname", "Nickname", 120, key="nickname"),
    NOTES,
)

# An item's keys in the export are its field names but the viewing's `date` (DESIGN.md).
EPISODE_NOTE_FIELDS = (
    Field(
        "episode",
        "Episode",
        INTEGER,
        low=1,
        high=10_000,
        message="Enter an episode number from 1 to 10,000.",
        required="Give the episode number.",
        key="episode",
    ),
    _line("title", "Episode title", 300, key="title"),
    Field("rating", "Episode rating", RATING, message="Rate from 0 to 10.", key="rating"),
    NOTES,
)

VIEWING_FIELDS = (
    Field(
        "watched_on",
        "Date watched",
        DATE,
        low=1900,
        message="Enter a date from 1 January 1900 to today.",
        required="Give the date you watched it.",
        key="date",
    ),
    Field("rewatch", "Rewatch", BOOLEAN, key="rewatch"),
    _line("note", "Note", 300, key="note"),
    Field("rating", "Viewing rating", RATING, message="Rate from 0 to 10.", key="rating"),
)

REVIEW = {f.name: f for f in REVIEW_FIELDS}
COVER = {f.name: f for f in COVER_FIELDS}
CHARACTER = {f.name: f for f in CHARACTER_FIELDS}
EPISODE_NOTE = {f.name: f for f in EPISODE_NOTE_FIELDS}
VIEWING = {f.name: f for f in VIEWING_FIELDS}
# The review's facts: every field but the Markdown body, as History and the conflict view list them.
FACT_FIELDS = tuple(f for f in REVIEW_FIELDS if f.kind != TEXT)
# The fields a front-matter key of its own carries (not the title, which has its own place).
FRONT_MATTER_FIELDS = tuple(f for f in REVIEW_FIELDS + COVER_FIELDS if f.key and f.name != "title")


SCORE_FIELDS = tuple(f for f in REVIEW_FIELDS if f.group == "scores")


def review_problems(values: dict[str, Any]) -> dict[str, str]:
    """The rules between fields, for the editor and import alike: field name → what is wrong."""
    problems = {}
    seen, episodes = values.get("episodes_seen"), values.get("episodes")
    if seen is not None and episodes is not None and seen > episodes:
        problems["episodes_seen"] = (
            f"Episodes seen ({seen}) cannot be more than the {episodes} episodes."
        )
    return problems


def normalized(table: tuple[Field, ...], data: dict[str, Any]) -> dict[str, Any]:
    """`data`'s values for the table's fields, normalized; missing ones empty."""
    return {f.name: f.normalize(data.get(f.name)) for f in table}
