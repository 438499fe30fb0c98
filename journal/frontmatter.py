"""YAML front matter: written by hand to the exact export format, read with PyYAML's safe_load.

Writing by hand keeps the format fixed (key order, quoting, flow lists) whatever PyYAML's emitter
prefers; every string goes out either double-quoted with escapes every YAML parser knows
(PyYAML, Ruby's Psych in Jekyll, Go's YAML in Hugo) or as a plain scalar so ordinary that all
three read it back as the same string.
"""

from __future__ import annotations

import email.utils
import re
import reprlib
import tomllib
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import yaml

MAX_FRONT_MATTER_CHARS = 64 * 1024
# What YAML aliases (`&a` ... `*a`) may add to a front matter once expanded: a few hundred bytes of
# nested aliases would otherwise unfold to gigabytes ("billion laughs").
MAX_ALIAS_VALUES = 10_000
MAX_ALIAS_CHARS = 64 * 1024

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+)*")
# Words some YAML version reads as a boolean, null or number instead of a string.
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 2, 60, 60
_SHOWN.maxlist = _SHOWN.maxdict = _SHOWN.maxtuple = _SHOWN.maxset = 4


def shown(value: object) -> str:
    """A value for a message, bounded whatever its size (a value may be huge, or aliased)."""
    return _SHOWN.repr(value)


def clip(text: object, length: int = 60) -> str:
    """Text for a message, cut to `length` characters."""
    text = str(text)
    return text if len(text) <= length else text[: length - 1] + "…"


class FrontMatterError(ValueError):
    """The file's front matter cannot be read; the message says why, for a person."""


def _printable(ch: str) -> bool:
    """YAML's printable set, minus the characters some parsers take as line breaks."""
    code = ord(ch)
    if ch in "\x85\u2028\u2029\ufeff":
        return False
    return (
        0x20 <= code <= 0x7E
        or 0xA0 <= code <= 0xD7FF
        or 0xE000 <= code <= 0xFFFD
        or 0x10000 <= code <= 0x10FFFF
    )


def quoted(text: str) -> str:
    """A double-quoted YAML string that reads back exactly as `text`."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def plain_or_quoted(text: str) -> str:
    """Ordinary words (`Netflix`, `K-drama`) stay plain, as in the format's example."""
    if _PLAIN.fullmatch(text) and text.casefold() not in _RESERVED and yaml.safe_load(text) == text:
        return text
    return quoted(text)


def scalar(value: object, *, plain: bool = False) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return plain_or_quoted(text) if plain else quoted(text)


def flow_list(items: list[str]) -> str:
    return "[" + ", ".join(plain_or_quoted(item) for item in items) + "]"


def flow_mapping(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{key}: {value}" for key, value in pairs) + "}"


def format_time(value: datetime, zone: ZoneInfo) -> str:
    """A stored naive-UTC time in the journal's zone, to the second, with its offset."""
    return value.replace(tzinfo=UTC).astimezone(zone).isoformat(timespec="seconds")


def parse_time(value: object, zone: ZoneInfo) -> datetime:
    """A front-matter time (datetime, date or string) as naive UTC, truncated to the second.

    Strings are read as Hugo and Jekyll read them: `2026-02-3`, `2026-2-3 9:05`, ISO 8601,
    `2025-02-07 09:30:00 +0900`, RFC 2822 and `February 7, 2025`. Times without an offset,
    and bare dates (midnight), are in the journal's zone.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        moment = _parse_time_text(value.strip())
        if moment is None:
            message = f"{shown(value)} is not a date or time (use 2025-02-07T09:30:00+09:00)"
            raise ValueError(message)
    else:
        raise ValueError(f"{shown(value)} is not a date or time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


_LOOSE_TIME = re.compile(
    r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r" *(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?",
    re.IGNORECASE,
)
_WORDY_DATES = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")


def _parse_time_text(text: str) -> datetime | None:
    if len(text) > 64:
        return None
    match = _LOOSE_TIME.fullmatch(text)
    if match:
        year, month, day, hour, minute, second, offset = match.groups()
        try:
            moment = datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        except ValueError:
            return None
        if offset and offset.upper() in ("Z", "UTC", "GMT"):
            return moment.replace(tzinfo=UTC)
        if offset:
            digits = offset[1:].replace(":", "").ljust(4, "0")
            delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            return moment.replace(tzinfo=timezone(delta if offset[0] == "+" else -delta))
        return moment
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    for pattern in _WORDY_DATES:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


_YAML_OPEN = "---\n"
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\n?", re.MULTILINE)
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*\n?", re.MULTILINE)


def split(text: str, text_keys: frozenset[str] = frozenset()) -> tuple[dict | None, str]:
    """(front matter or None when there is none, body). Raises FrontMatterError.

    The values of `text_keys` (lower-case key names) are read as the text written."""
    if text.startswith(_YAML_OPEN) or text.startswith("---\r\n") or text == "---":
        return _parse(text, 4, _YAML_CLOSE, lambda source: _load_yaml(source, text_keys))
    if text.startswith("+++\n"):  # Hugo's TOML front matter
        return _parse(text, 4, _TOML_CLOSE, _load_toml)
    return None, text


def _parse(text, start, close, load):
    match = close.search(text, start)
    if match is None:
        raise FrontMatterError("the front matter has no closing `---` line")
    source = text[start : match.start()]
    if len(source) > MAX_FRONT_MATTER_CHARS:
        raise FrontMatterError("the front matter is larger than 64 KB")
    data = load(source)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FrontMatterError("the front matter is not a set of `key: value` lines")
    return data, text[match.end() :]


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing a document whose aliases expand beyond the limits, and
    keeping the values of `text_keys` as written: YAML 1.1 reads `title: No` as false,
    `title: 12:08` as 728 and `title: 2024` as a number; Hugo and Jekyll show the text."""

    text_keys: frozenset[str] = frozenset()

    def compose_document(self):
        node = super().compose_document()
        _check_expansion(node)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value.lower() in self.text_keys:
                    _as_written(value, 0)
        return node


_IMPLICIT = {f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "timestamp")}


def _as_written(node, depth: int) -> None:
    """Plain scalars that YAML would read as a boolean, number or date stay strings; inside
    lists and mappings too (`tags: [2024, No]`, a character's name), two levels down."""
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.tag in _IMPLICIT:
            node.tag = "tag:yaml.org,2002:str"
    elif depth < 2:
        for child in _children(node):
            _as_written(child, depth + 1)


def _check_expansion(root) -> None:
    """Walk the document as it reads once aliases are expanded, stopping at the budget: the
    values written plus MAX_ALIAS_VALUES more, their text plus MAX_ALIAS_CHARS more."""
    written, chars, stack = set(), 0, [root]
    while stack:
        node = stack.pop()
        if id(node) in written:
            continue
        written.add(id(node))
        chars += _node_chars(node)
        stack.extend(_children(node))
    values_left, chars_left = len(written) + MAX_ALIAS_VALUES, chars + MAX_ALIAS_CHARS
    stack = [root]
    while stack:
        node = stack.pop()
        values_left -= 1
        chars_left -= _node_chars(node)
        if values_left < 0 or chars_left < 0:
            raise FrontMatterError(
                "the front matter's aliases (`*name`) expand to more than "
                f"{MAX_ALIAS_VALUES:,} values or {MAX_ALIAS_CHARS // 1024} KB of text"
            )
        stack.extend(_children(node))


def _node_chars(node) -> int:
    return len(node.value) if isinstance(node, yaml.ScalarNode) else 0


def _children(node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _load_yaml(source: str, text_keys: frozenset[str] = frozenset()):
    loader = _BoundedLoader(source)
    loader.text_keys = text_keys
    try:
        return loader.get_single_data()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = (getattr(error, "problem", None) or str(error).splitlines()[0])[:200]
        raise FrontMatterError(f"the front matter is not valid YAML{where}: {problem}") from None
    except FrontMatterError:
        raise
    except (ValueError, OverflowError, RecursionError) as error:
        # PyYAML builds dates and numbers after parsing: `2025-13-45` fails there.
        raise FrontMatterError(
            f"the front matter holds a value YAML cannot read: {str(error)[:200]}"
        ) from None
    finally:
        loader.dispose()


def _load_toml(source: str):
    try:
        return tomllib.loads(source)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as error:
        raise FrontMatterError(f"the front matter is not valid TOML: {error}") from None
