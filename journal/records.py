"""Reading one Markdown file (ours, or Hugo's, Jekyll's, Obsidian's, hand-written) into a Record.

Values are read as Hugo, Jekyll and Obsidian read them, repaired where the repair is harmless
(a slug normalized, an over-long verdict cut at a word, a rating rounded to half points, each
with a warning) and checked as the editor checks them, so an import cannot store what the
editor would refuse. Each problem names the key and says what is wrong. A file's final slug and
wikilinks are decided with the whole import in view (journal/importing.py).
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from . import fields, frontmatter
from .cleantext import normalize_controls, removed_note
from .frontmatter import clip, shown
from .item_lists import LISTS, ListProblem, read_list
from .models import DRAFT, PUBLISHED, utcnow
from .paths import path_parts
from .ratings import RatingProblem, RawRating, read_rating, score_out_of_ten
from .slugs import is_reserved_slug, slugify
from .tagging import clean_name, parse_tag_names

# The front-matter values of fields.REVIEW_FIELDS that this module reads as text or numbers
# (the rating has its own reader, journal/ratings.py).
TEXT_FIELDS = tuple(f for f in fields.FRONT_MATTER_FIELDS if f.kind == fields.LINE)
NUMBER_FIELDS = tuple(f for f in fields.FRONT_MATTER_FIELDS if f.kind == fields.INTEGER)
IMAGE_FIELDS = tuple(f for f in fields.FRONT_MATTER_FIELDS if f.kind == fields.IMAGE)
CHOICE_FIELDS = tuple(f for f in fields.FRONT_MATTER_FIELDS if f.kind == fields.CHOICE)
FLAG_FIELDS = tuple(f for f in fields.FRONT_MATTER_FIELDS if f.kind == fields.BOOLEAN)
FIELD_KEYS = {key for f in fields.FRONT_MATTER_FIELDS for key in f.keys}
GENRE_KEYS = ("tags", "categories", "category", "genres")
DATE_KEYS = ("date", "publishdate", "pubdate")  # Hugo's order; Jekyll's name date comes last
EXPIRY_KEYS = ("expirydate", "unpublishdate")
READ_KEYS = {
    "title",
    "slug",
    "date",
    "lastmod",
    "created",
    "draft",
    "published",
    "rating_scale",
    "rating_max",
    "out_of",
    "characters",
    *LISTS,
    "render_with_liquid",
    "aliases",
    *GENRE_KEYS,
    *DATE_KEYS,
    *EXPIRY_KEYS,
}
KNOWN_KEYS = READ_KEYS | FIELD_KEYS
# Read as the text written, never as YAML 1.1 booleans, numbers or dates.
TEXT_KEYS = frozenset(
    {
        "title",
        "slug",
        "characters",
        *LISTS,
        "aliases",
        *GENRE_KEYS,
        *(k for f in TEXT_FIELDS + IMAGE_FIELDS for k in f.keys),
    }
)
# Keys only this journal's export writes: a file with one of them and a `slug` is the journal's
# own, and only such a file updates the existing review with its slug.
OWN_KEYS = frozenset(
    {"render_with_liquid", "rating_scale", "characters", *LISTS,
     *(k for f in fields.REVIEW_FIELDS if f.own for k in f.keys)}
)  # fmt: skip
CHARACTER_KEYS = frozenset(f.key for f in fields.CHARACTER_FIELDS)
_HEADING = re.compile(r"# +(.+?)(?: +#+)? *")
BLOCK_START = "<!-- journal:characters -->"
BLOCK_END = "<!-- /journal:characters -->"
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]<>{}#|~!&])")
# Unicode's Cc and Cs characters (controls and lone surrogates); a body keeps its line breaks.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_TRUTH = {"true": True, "yes": True, "on": True, "1": True, "false": False, "no": False,
          "off": False, "0": False}  # fmt: skip


_TITLE, _BODY = fields.REVIEW["title"], fields.REVIEW["body"]


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
    episode_notes: list[dict] = field(default_factory=list)  # by field name (fields.py)
    viewings: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    lastmod_given: bool = True
    own: bool = False  # carries this journal's own slug (see OWN_KEYS)
    language: str | None = None  # a translation's language, from `name.zh.md`
    link_names: list[str] = field(default_factory=list)  # what an Obsidian [[link]] may say
    rating: RawRating | None = None  # turned into fields["rating"] once the scale is known
    cover: Any = None  # the checked cover image (journal/covers.py's Cover), found on import


def parse_record(
    name: str, data: bytes, zone: ZoneInfo, *, now: datetime | None = None, hugo: bool = False
) -> Record:
    """One file as a Record (times may be None). `hugo`: the file comes from a Hugo site, where
    an undated page is published. Raises ImportProblem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportProblem(f"it is not UTF-8 text (bad byte at position {error.start})") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    hugo = hugo or text.startswith("+++\n")
    text, removed_controls = normalize_controls(text)
    try:
        meta, body = frontmatter.split(text, TEXT_KEYS)
    except frontmatter.FrontMatterError as error:
        raise ImportProblem(str(error)) from None
    meta = {str(k).lower(): v for k, v in (meta or {}).items()}
    warnings = [f"unknown key “{clip(k)}” ignored" for k in meta if k not in KNOWN_KEYS]
    warnings += [removed_note(removed_controls)] if removed_controls else []

    source = path_parts(name)
    body, title = _body_and_title(body, meta, source.name, warnings)
    _check_text("title", title, None)
    title = fields.REVIEW["title"].normalize(_fit("title", title, _TITLE.max_length, warnings))
    _check_text("body", body, _BODY.max_length, multiline=True)

    date = _first_time(meta, DATE_KEYS, zone)
    published = meta.get("published")
    if date is None and hugo and published is not None and not isinstance(published, bool):
        # Hugo reads `published` as a publish date; Jekyll as a visibility flag.
        with contextlib.suppress(ValueError, OverflowError):
            date = frontmatter.parse_time(published, zone)
    if date is None and source.jekyll_date:
        date = frontmatter.parse_time(source.jekyll_date, zone)
    lastmod = _time(meta, "lastmod", zone)
    status = _status(meta, name, date, hugo, warnings)
    expiry = _first_time(meta, EXPIRY_KEYS, zone)
    if expiry is not None and now is not None and expiry <= now and status == PUBLISHED:
        status = DRAFT
        warnings.append("its “expiryDate” has passed, so it is imported as a draft")
    if date is None and status == PUBLISHED:
        date = lastmod  # an undated Hugo page: its lastmod, else the time of the import
    own = "slug" in meta and not OWN_KEYS.isdisjoint(meta)
    record = Record(
        title=title,
        slug=_slug(meta.get("slug"), source.name, title, warnings),
        status=status,
        published_at=date if status == PUBLISHED else None,
        created_at=_time(meta, "created", zone) or (date if status == DRAFT else None),
        updated_at=lastmod,
        tags=_genres(meta, own=own),
        fields=_fields(meta, warnings),
        body=body,
        characters=_characters(meta.get("characters"), warnings),
        **_lists(meta, (now or utcnow()).replace(tzinfo=UTC).astimezone(zone).date(), warnings),
        warnings=warnings,
        own=own,
        language=source.language,
        rating=_rating(meta),
    )
    record.link_names = _link_names(name, meta.get("aliases"))
    return record


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


def _body_and_title(body: str, meta: dict, stem: str, warnings: list[str]) -> tuple[str, str]:
    body = strip_characters_block(body)
    title = meta.get("title")
    if title is not None:
        title = _text("title", title)
        if title:
            return body, title
        warnings.append("its “title” is empty, so the title comes from the text or file name")
    first, _, rest = body.lstrip("\n").partition("\n")
    heading = _HEADING.fullmatch(first)
    if heading:
        return rest, heading.group(1).strip()
    name = stem if " " in stem else stem.replace("-", " ").replace("_", " ")
    return body, " ".join(name.split()) or "Untitled"


def _slug(value, stem: str, title: str, warnings: list[str]) -> str:
    """Hugo and Jekyll accept `Hugo_Build` or `6-17 protest`; they are normalized, not refused."""
    if value is not None:
        written = _text("slug", value)
        slug = slugify(written)
        if slug and slug != written:
            warnings.append(f"its slug “{clip(written)}” is written “{slug}” here")
        if slug:
            return slug
    from_path = slugify(stem)
    if is_reserved_slug(from_path):  # a site's own `index.md`: its title names it better
        from_path = slugify(title) or from_path
    return from_path or slugify(title) or "review"


def _status(meta: dict, name: str, date, hugo: bool, warnings: list[str]) -> str:
    """`draft` decides; else Jekyll's `published: false`; else a drafts folder; else a file
    with a date (or any page of a Hugo site) was published, and an undated note waits as a
    draft."""
    if "draft" in meta:
        draft = meta["draft"]
        if isinstance(draft, str):
            draft = _TRUTH.get(draft.strip().lower(), draft)
        if isinstance(draft, bool):
            return DRAFT if draft else PUBLISHED
        warnings.append(f"“draft” is {shown(meta['draft'])}, not true or false: kept as a draft")
        return DRAFT
    if meta.get("published") is False or str(meta.get("published")).lower() == "false":
        return DRAFT
    if any(part in ("drafts", "_drafts") for part in PurePosixPath(name).parts[:-1]):
        return DRAFT
    return PUBLISHED if date is not None or hugo else DRAFT


def _first_time(meta: dict, keys: tuple[str, ...], zone: ZoneInfo) -> datetime | None:
    for key in keys:
        moment = _time(meta, key, zone)
        if moment is not None:
            return moment
    return None


def _time(meta: dict, key: str, zone: ZoneInfo) -> datetime | None:
    value = meta.get(key)
    if value is None or value == "":
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
    if not multiline and any(ch in text for ch in "\n\r\t"):
        text = " ".join(text.split())  # a folded `description: >` ends in a line break
    _check_text(key, text, max_length, multiline)
    return text


def _check_text(key: str, text: str, max_length: int | None, multiline=False) -> None:
    control = _CONTROL_MULTILINE if multiline else _CONTROL
    if control.search(text):
        raise ImportProblem(f"“{key}” contains control characters")
    if max_length is not None and len(text) > max_length:
        raise ImportProblem(f"“{key}” is longer than {max_length:,} characters")


def _fit(key: str, text: str, max_length: int, warnings: list[str]) -> str:
    """Over-long one-line text is cut at a word, with an ellipsis and a warning."""
    if len(text) <= max_length:
        return text
    cut = text[: max_length - 1]
    if not text[max_length - 1].isspace() and " " in cut.strip():
        cut = cut.rstrip()[: cut.rstrip().rfind(" ")]  # at the last whole word
    warnings.append(f"“{key}” is longer than {max_length:,} characters, so it was shortened")
    return cut.rstrip() + "…"


def _fields(meta: dict, warnings: list[str]) -> dict:
    values: dict = {"rating": None}
    for spec in TEXT_FIELDS:
        key, value = _first_key(meta, spec)
        text = _text(key, value) if value is not None else ""
        values[spec.name] = spec.normalize(_fit(key, text, spec.max_length, warnings))
    for spec in NUMBER_FIELDS:
        key, value = _first_key(meta, spec)
        values[spec.name] = _number(key, value, spec.low, spec.high)
    for spec in IMAGE_FIELDS:  # a path for now: journal/importing.py finds the file
        key, value = _first_key(meta, spec)
        values[spec.name] = _text(key, value).strip() or None if value is not None else None
    for spec in CHOICE_FIELDS:
        values[spec.name] = _choice(spec, _first_key(meta, spec)[1], warnings)
    for spec in FLAG_FIELDS:
        values[spec.name] = _flag(spec, _first_key(meta, spec)[1], warnings)
    values.update(_scores(meta.get("scores"), warnings))
    for name, problem in fields.review_problems(values).items():
        warnings.append(f"{problem} It is left out.")
        values[name] = None
    return values


def _folded(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.casefold())


def _choice(spec: fields.Field, value, warnings: list[str]) -> str | None:
    """One of the field's words, however it is spelled or cased ("on hold" is "On-Hold")."""
    if value is None or value == "":
        return None
    wanted = _folded(str(value))
    for choice in spec.choices:
        if _folded(choice) == wanted:
            return choice
    warnings.append(f"“{spec.key}” {shown(value)} is not one of {', '.join(spec.choices)}: ignored")
    return None


def _flag(spec: fields.Field, value, warnings: list[str]) -> bool:
    if isinstance(value, str):
        value = _TRUTH.get(value.strip().lower(), value)
    if value is None or isinstance(value, bool):
        return bool(value)
    warnings.append(f"“{spec.key}” is {shown(value)}, not true or false: read as false")
    return False


def _scores(value, warnings: list[str]) -> dict:
    """`scores: {story: 8, acting: 9.5, music: 7, rewatch: 6}`, each out of 10."""
    scores = {spec.name: None for spec in fields.SCORE_FIELDS}
    if value is None or value == "":
        return scores
    if not isinstance(value, dict):
        raise ImportProblem("“scores” must be a mapping such as {story: 8, acting: 9.5}")
    by_key = {spec.key: spec for spec in fields.SCORE_FIELDS}
    for key, score in value.items():
        spec = by_key.get(str(key).strip().lower())
        if spec is None:
            warnings.append(f"scores: unknown key “{clip(str(key))}” ignored")
        elif score is not None and score != "":
            try:
                scores[spec.name], note = score_out_of_ten(score, f"scores {spec.key}")
            except RatingProblem as problem:
                raise ImportProblem(str(problem)) from None
            warnings += [note] if note else []
    return scores


def _first_key(meta: dict, spec: fields.Field) -> tuple[str, object]:
    """The field's value under its own key, else under the first alias the file uses."""
    for key in spec.keys:
        if meta.get(key) is not None:
            return key, meta[key]
    return spec.key, None


def _number(key: str, value, low: int, high: int) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not re.fullmatch(r"\d{1,9}", str(value).strip()):
        raise ImportProblem(f"“{key}” must be a whole number, not {shown(value)}")
    number = int(str(value).strip())
    if not low <= number <= high:
        raise ImportProblem(f"“{key}” is out of range: {number} (from {low} to {high})")
    return number


def _genres(meta: dict, own: bool = False) -> list[str]:
    """`tags`, `categories`, `category` and Hugo's `genres` together. A string is split as
    Jekyll splits it: on commas when it has any, else on spaces (`category` is one name).
    Obsidian's `#tag` loses its `#`; a genre of the journal's own export is kept as written."""
    names: list[str] = []
    for key in GENRE_KEYS:
        value = meta.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            names += [value] if key == "category" else value.split("," if "," in value else None)
        elif isinstance(value, list):
            names += [_text(key, item) for item in value if item is not None]
        else:
            raise ImportProblem(f"“{key}” must be a list or comma-separated text")
    names = [clean_name(n) if own else clean_name(n).lstrip("#") for n in names]
    return parse_tag_names(", ".join(names))


def _rating(meta: dict) -> RawRating | None:
    try:
        return read_rating(meta)
    except RatingProblem as problem:
        raise ImportProblem(str(problem)) from None


def _link_names(name: str, aliases) -> list[str]:
    parts = PurePosixPath(name).with_suffix("").parts
    # Obsidian links by name or by path from the vault's root, wherever the root is here.
    names = ["/".join(parts[i:]) for i in range(len(parts) - 1, -1, -1)]
    if isinstance(aliases, str):
        aliases = [aliases]
    if isinstance(aliases, list):
        names += [str(a) for a in aliases if isinstance(a, str | int) and str(a).strip()]
    return names


def _lists(meta: dict, today: date, warnings: list[str]) -> dict[str, list[dict]]:
    try:
        return {key: read_list(key, meta.get(key), today, warnings) for key in LISTS}
    except ListProblem as problem:
        raise ImportProblem(str(problem)) from None


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
        unknown = sorted(str(k) for k in item if k not in CHARACTER_KEYS)
        warnings.extend(f"{where}: unknown key “{clip(k)}” ignored" for k in unknown)
        character = {}
        for spec in fields.CHARACTER_FIELDS:
            raw, label = item.get(spec.key), f"{where} {spec.key}"
            if spec.kind == fields.TEXT:
                text = _text(label, raw, spec.max_length, multiline=True) if raw else ""
            else:
                text = _text(label, raw) if raw is not None else ""
                text = _fit(label, text, spec.max_length, warnings)
            character[spec.key] = spec.normalize(text) or None
        if not character["name"]:
            raise ImportProblem(f"{where} has no name")
        characters.append(character)
    return characters
