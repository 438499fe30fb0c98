"""Reading one Markdown file (ours, or Hugo's, Jekyll's, Obsidian's, hand-written) into a Record.

Values are checked as the editor checks them, so an import cannot store what the editor would
refuse; each problem names the key and says what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from . import frontmatter
from .cleantext import normalize_controls, removed_note
from .forms import MAX_BODY_CHARS
from .models import DRAFT, PUBLISHED
from .slugs import slugify
from .tagging import clean_name, parse_tag_names

MAX_NOTES_CHARS = 20_000
TEXT_FIELDS = {  # front-matter key: (review field, longest length)
    "description": ("verdict", 300),
    "work_title": ("work_title", 300),
    "original_title": ("original_title", 300),
    "media_type": ("media_type", 40),
    "where_to_watch": ("where_to_watch", 200),
}
NUMBER_FIELDS = {  # front-matter key: (smallest, largest)
    "year": (1870, 2200),
    "episodes": (1, 10_000),
    "runtime_minutes": (1, 2_000),
}
READ_KEYS = {
    "title",
    "slug",
    "date",
    "lastmod",
    "created",
    "draft",
    "published",
    "tags",
    "rating",
    "rating_scale",
    "characters",
    "render_with_liquid",
}
KNOWN_KEYS = READ_KEYS | set(TEXT_FIELDS) | set(NUMBER_FIELDS)
_JEKYLL_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})-(.+)")
_HEADING = re.compile(r"# +(.+?)(?: +#+)? *")
BLOCK_START = "<!-- journal:characters -->"
BLOCK_END = "<!-- /journal:characters -->"
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>{}#|~!&])")


class ImportProblem(ValueError):
    """A file that cannot be imported; the message names the problem (the caller names the file)."""


@dataclass
class Record:
    title: str
    slug: str
    status: str
    published_at: datetime | None
    updated_at: datetime | None
    created_at: datetime | None
    tags: list[str]
    fields: dict
    body: str
    characters: list[dict]
    warnings: list[str] = field(default_factory=list)
    lastmod_given: bool = True


def parse_record(name: str, data: bytes, zone: ZoneInfo) -> Record:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportProblem(f"it is not UTF-8 text (bad byte at position {error.start})") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text, removed_controls = normalize_controls(text)
    try:
        meta, body = frontmatter.split(text)
    except frontmatter.FrontMatterError as error:
        raise ImportProblem(str(error)) from None
    meta = {str(k).lower(): v for k, v in (meta or {}).items()}
    warnings = [f"unknown key “{k}” ignored" for k in meta if k not in KNOWN_KEYS]
    warnings += [removed_note(removed_controls)] if removed_controls else []

    path = PurePosixPath(name)
    stem, jekyll_date = path.stem, None
    match = _JEKYLL_NAME.fullmatch(stem)
    if match:
        jekyll_date, stem = "-".join(match.group(1, 2, 3)), match.group(4)

    body, title = _body_and_title(body, meta, stem)
    _check_text("title", title, 300)
    _check_text("body", body, MAX_BODY_CHARS, multiline=True)
    slug = _slug(meta.get("slug"), stem, title)

    date = _time(meta, "date", zone)
    if date is None and jekyll_date:
        date = frontmatter.parse_time(jekyll_date, zone)
    status = _status(meta, path, date)
    fields = _fields(meta)
    return Record(
        title=title,
        slug=slug,
        status=status,
        published_at=date if status == PUBLISHED else None,
        created_at=_time(meta, "created", zone) or (date if status == DRAFT else None),
        updated_at=_time(meta, "lastmod", zone),
        tags=_tags(meta.get("tags")),
        fields=fields,
        body=body,
        characters=_characters(meta.get("characters"), warnings),
        warnings=warnings,
    )


def normalize_body(body: str) -> str:
    return body.replace("\r\n", "\n").replace("\r", "\n").lstrip("\n").rstrip(" \t\n")


def characters_block(characters: list[dict]) -> str:
    """The readable cast list at the end of an export; import drops it again."""
    if not characters:
        return ""
    items = []
    for c in characters:
        line = f"- **{_escape(c['name'])}**"
        if c.get("actor"):
            line += f" ({_escape(c['actor'])})"
        if c.get("nickname"):
            line += f", called “{_escape(c['nickname'])}”"
        notes = normalize_body(c.get("notes") or "")
        if notes:  # indented, so no line of the notes can pass for a marker
            line += "\n\n" + "\n".join(("  " + n) if n.strip() else "" for n in notes.split("\n"))
        items.append(line)
    return "\n".join([BLOCK_START, "## Characters", "", "\n".join(items), "", BLOCK_END])


def _escape(text: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def strip_characters_block(body: str) -> str:
    """The body without the generated block: from the last marker line to the end marker."""
    body = body.rstrip(" \t\n")
    if not body.endswith(BLOCK_END):
        return body
    marker = BLOCK_START + "\n"
    start = 0 if body.startswith(marker) else body.rfind("\n" + marker)
    return body[:start] if start >= 0 else body


def _body_and_title(body: str, meta: dict, stem: str) -> tuple[str, str]:
    body = strip_characters_block(body)
    title = meta.get("title")
    if title is not None:
        return body, _text("title", title)
    first, _, rest = body.lstrip("\n").partition("\n")
    heading = _HEADING.fullmatch(first)
    if heading:
        return rest, heading.group(1).strip()
    name = stem if " " in stem else stem.replace("-", " ").replace("_", " ")
    return body, " ".join(name.split())


def _slug(value, stem: str, title: str) -> str:
    if value is not None:
        slug = _text("slug", value)
        if not slug or slugify(slug) != slug:
            raise ImportProblem(
                f"“slug”: “{slug}” is not a slug (lower-case words joined by hyphens)"
            )
        return slug
    slug = slugify(stem) or slugify(title)
    if not slug:
        raise ImportProblem("no slug can be made from its file name or title; add a “slug”")
    return slug


def _status(meta: dict, path: PurePosixPath, date) -> str:
    """`draft` decides; else Jekyll's `published: false`; else a drafts folder; else a file
    with a date came from a published site, and one without (a note) waits as a draft."""
    if "draft" in meta:
        if not isinstance(meta["draft"], bool):
            raise ImportProblem(f"“draft” must be true or false, not {meta['draft']!r}")
        return DRAFT if meta["draft"] else PUBLISHED
    if meta.get("published") is False:
        return DRAFT
    if any(part in ("drafts", "_drafts") for part in path.parts[:-1]):
        return DRAFT
    return PUBLISHED if date is not None else DRAFT


def _time(meta: dict, key: str, zone: ZoneInfo) -> datetime | None:
    value = meta.get(key)
    if value is None:
        return None
    try:
        return frontmatter.parse_time(value, zone)
    except (ValueError, OverflowError) as error:
        raise ImportProblem(f"“{key}”: {error}") from None


def _text(key: str, value, max_length: int | None = None, multiline=False) -> str:
    """The value as written (a quoted string keeps its spaces); blank text reads as empty."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ImportProblem(f"“{key}” must be text, not {type(value).__name__}")
    text = str(value) if str(value).strip() else ""
    _check_text(key, text, max_length, multiline)
    return text


def _check_text(key: str, text: str, max_length: int | None, multiline=False) -> None:
    allowed = "\n\r\t" if multiline else ""
    if any(unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed for ch in text):
        raise ImportProblem(f"“{key}” contains control characters")
    if max_length is not None and len(text) > max_length:
        raise ImportProblem(f"“{key}” is longer than {max_length:,} characters")
    if key == "title" and not text:
        raise ImportProblem("“title” is empty")


def _fields(meta: dict) -> dict:
    fields: dict = {}
    for key, (name, max_length) in TEXT_FIELDS.items():
        value = meta.get(key)
        fields[name] = _text(key, value, max_length) or None if value is not None else None
    for key, (low, high) in NUMBER_FIELDS.items():
        fields[key] = _number(key, meta.get(key), low, high)
    fields["rating"] = _rating(meta.get("rating"), meta.get("rating_scale"))
    return fields


def _number(key: str, value, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not re.fullmatch(r"\d+", str(value).strip()):
        raise ImportProblem(f"“{key}” must be a whole number, not {value!r}")
    number = int(str(value).strip())
    if not low <= number <= high:
        raise ImportProblem(f"“{key}” is out of range: {number} (from {low} to {high})")
    return number


def _rating(value, scale) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        rating = Decimal(str(value).strip())
        scale = Decimal(str(scale).strip()) if scale is not None else Decimal(10)
        if not rating.is_finite() or not scale.is_finite() or scale <= 0:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ImportProblem(f"“rating” must be a number, not {value!r}") from None
    if not 0 <= rating <= scale:
        raise ImportProblem(f"“rating” is out of range: {value} (from 0 to {scale})")
    rating = rating * 10 / scale if scale != 10 else rating
    half_points = (rating * 2).to_integral_value()
    if scale == 10 and half_points != rating * 2:
        raise ImportProblem(f"“rating” must be in whole or half points, not {value}")
    return (half_points / 2).quantize(Decimal("0.1"))


def _tags(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return parse_tag_names(value)
    if not isinstance(value, list):
        raise ImportProblem("“tags” must be a list or comma-separated text")
    names = [clean_name(_text("tags", item)) for item in value if item is not None]
    return parse_tag_names(", ".join(names))


def _characters(value, warnings: list[str]) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportProblem("“characters” must be a list")
    characters = []
    for number, item in enumerate(value, 1):
        where = f"character {number}"
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict):
            raise ImportProblem(f"{where} must be a mapping such as {{name: ..., actor: ...}}")
        unknown = sorted(str(k) for k in item if k not in ("name", "actor", "nickname", "notes"))
        warnings.extend(f"{where}: unknown key “{k}” ignored" for k in unknown)
        character = {}
        for key in ("name", "actor", "nickname"):
            raw = item.get(key)
            character[key] = _text(f"{where} {key}", raw, 120) or None if raw is not None else None
        if not character["name"]:
            raise ImportProblem(f"{where} has no name")
        notes = item.get("notes")
        notes = _text(f"{where} notes", notes, MAX_NOTES_CHARS, multiline=True) if notes else ""
        character["notes"] = notes or None
        characters.append(character)
    return characters
