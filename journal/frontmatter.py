"""YAML front matter: written by hand to the exact export format, read with PyYAML's safe_load.

Writing by hand keeps the format fixed (key order, quoting, flow lists) whatever PyYAML's emitter
prefers; every string goes out either double-quoted with escapes every YAML parser knows
(PyYAML, Ruby's Psych in Jekyll, Go's YAML in Hugo) or as a plain scalar so ordinary that all
three read it back as the same string.
"""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import yaml

MAX_FRONT_MATTER_CHARS = 64 * 1024

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*(?: [A-Za-z0-9_.-]+)*")
# Words some YAML version reads as a boolean, null or number instead of a string.
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


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

    Times without an offset, and bare dates (midnight), are in the journal's zone.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    elif isinstance(value, str):
        text = value.strip()
        # Jekyll writes `2025-02-07 09:30:00 +0900`; fromisoformat wants `+09:00`.
        text = re.sub(r"\s*([+-]\d\d):?(\d\d)$", r"\1:\2", text) if " " in text else text
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            message = f"{value!r} is not a date or time (use 2025-02-07T09:30:00+09:00)"
            raise ValueError(message) from None
    else:
        raise ValueError(f"{value!r} is not a date or time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0)


_YAML_OPEN = "---\n"
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\n?", re.MULTILINE)
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*\n?", re.MULTILINE)


def split(text: str) -> tuple[dict | None, str]:
    """(front matter or None when there is none, body). Raises FrontMatterError."""
    if text.startswith(_YAML_OPEN) or text.startswith("---\r\n") or text == "---":
        return _parse(text, 4, _YAML_CLOSE, _load_yaml)
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


def _load_yaml(source: str):
    try:
        return yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise FrontMatterError(f"the front matter is not valid YAML{where}: {problem}") from None
    except (ValueError, OverflowError, RecursionError) as error:
        # PyYAML builds dates and numbers after parsing: `2025-13-45` fails there.
        raise FrontMatterError(
            f"the front matter holds a value YAML cannot read: {error}"
        ) from None


def _load_toml(source: str):
    try:
        return tomllib.loads(source)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as error:
        raise FrontMatterError(f"the front matter is not valid TOML: {error}") from None
