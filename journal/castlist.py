"""Read a pasted cast list, one character a line, the way writers type them in reviews.

    - Baek Gang Hyeok (Ju Ji Hoon) – notes
    Yang Hae Won aka Anus (Choo Young Woo): notes
    Cheon Jang-mi "Gangster" — notes

No Flask here: `read_cast_list(text)` returns what it understood and, line by line, what it
could not read and why, so nothing pasted is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import fields

NAME_MAX = fields.CHARACTER["name"].max_length
NOTES_MAX = fields.CHARACTER["notes"].max_length
NAME_MAX_WORDS = 8
MAX_LINES = 200

# "- ", "* ", "• ", "– ", "1. ", "2) " in front of a line.
_BULLET = re.compile(r"^(?:[-*•·–—+]|\d{1,3}[.)])\s+")
_AKA = re.compile(r"\s+(?:aka|a\.k\.a\.?|a/k/a)\s+", re.IGNORECASE)
_QUOTES = "\"'“”‘’«»„「」『』"
_QUOTED_NICKNAME = re.compile(
    r"^(?P<name>.*?)\s+[\"“‘'«„「『](?P<nickname>[^\"“”‘’'«»„「」『』]+)[\"”’'»“」』]$"
)
_HEAD = re.compile(r"^(?P<who>[^()]*?)\s*(?:\((?P<actor>[^()]*)\)\s*(?P<after>[^()]*))?$")
_SHAPE = re.compile(r"^[^()]*\w[^()]*\([^()]*\w[^()]*\)")
_AKA_AFTER = re.compile(r"^(?:aka|a\.k\.a\.?|a/k/a)\s+(?P<nickname>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class CastEntry:
    name: str
    actor: str | None = None
    nickname: str | None = None
    notes: str = ""

    def as_fields(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "actor": self.actor,
            "nickname": self.nickname,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class UnreadLine:
    number: int
    text: str
    reason: str


@dataclass
class CastReading:
    entries: list[CastEntry] = field(default_factory=list)
    unread: list[UnreadLine] = field(default_factory=list)

    @property
    def unread_text(self) -> str:
        return "\n".join(line.text for line in self.unread)


class Unreadable(ValueError):
    pass


def read_cast_list(text: str) -> CastReading:
    reading = CastReading()
    lines = (text or "").splitlines()
    # When some lines are list items, the others are headings or prose around the list.
    bulleted = any(_BULLET.match(line.strip()) for line in lines)
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if bulleted and not _BULLET.match(raw.strip()) and not has_cast_shape(raw):
            reading.unread.append(
                UnreadLine(
                    number,
                    raw.strip(),
                    "Not a list item like the lines around it, and no actor in brackets "
                    "or “aka” to show it is a character.",
                )
            )
            continue
        if number > MAX_LINES:
            reading.unread.append(
                UnreadLine(number, raw.strip(), f"Only {MAX_LINES} lines are read at a time.")
            )
            continue
        try:
            reading.entries.append(read_line(raw))
        except Unreadable as problem:
            reading.unread.append(UnreadLine(number, raw.strip(), str(problem)))
    return reading


def has_cast_shape(line: str) -> bool:
    """A name followed by an actor in brackets, or a name with "aka": a cast line, bullet or not."""
    head = _BULLET.sub("", _split_notes(" ".join(line.split()))[0], count=1)
    if head.startswith("#"):
        return False  # a Markdown heading, whatever brackets it holds
    if _AKA.search(head):
        return True
    # Prose that names an actor in passing ("The charming X (Actor) is not ...") goes on after
    # the bracket; a cast line ends its head there, before a separator and the notes.
    match = _HEAD.match(head)
    after = (match.group("after") or "").strip() if match else ""
    return bool(_SHAPE.match(head) and not after)


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def already_in_cast(entries: list[CastEntry], cast_names: list[str]) -> list[CastEntry]:
    """The entries whose name is already in the cast (case and spaces aside)."""
    known = {name_key(n) for n in cast_names}
    return [e for e in entries if name_key(e.name) in known]


def read_line(line: str) -> CastEntry:
    """One cast line to an entry; raises Unreadable with a reason a person understands."""
    text = " ".join(line.replace("\u00a0", " ").split())
    text = _BULLET.sub("", text, count=1)
    head, separator, notes = _split_notes(text)
    match = _HEAD.match(head)
    if match is None:
        raise Unreadable("Expected “Name (Actor) – notes”; the brackets do not fit that shape.")
    who = match.group("who").strip()
    actor = _clean(match.group("actor"))
    name, nickname = _split_nickname(who)
    after = (match.group("after") or "").strip()
    if after:
        aka = _AKA_AFTER.match(after)
        if aka and nickname is None:
            nickname = _clean(aka.group("nickname"))
        elif not separator:
            notes = after  # "Name (Actor) notes" with no dash between
        else:
            raise Unreadable("Text between the actor and the notes could not be placed.")
    if not name:
        raise Unreadable("No name before the actor or the notes.")
    if separator and not notes and actor is None and nickname is None:
        raise Unreadable("Looks like a heading, not a character.")
    if len(name.split()) > NAME_MAX_WORDS:
        raise Unreadable(
            "The name is too long to be a name: put “–” or “:” between the name and the notes."
        )
    for label, value in (("name", name), ("actor", actor), ("nickname", nickname)):
        if value is not None and len(value) > NAME_MAX:
            raise Unreadable(f"The {label} is longer than {NAME_MAX} characters.")
    if len(notes) > NOTES_MAX:
        raise Unreadable(f"The notes are longer than {NOTES_MAX} characters.")
    return CastEntry(name=name, actor=actor, nickname=nickname, notes=notes)


def _split_notes(text: str) -> tuple[str, str, str]:
    """Split at the first separator outside brackets: – — : always, - only after a space or ).

    A hyphen inside a word (Kim Won-hae, Cheon Jang-mi) is part of the name.
    """
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif depth == 0 and (
            ch in "–—:"
            or (ch == "-" and i > 0 and text[i - 1] in " )" and text[i + 1 : i + 2] in (" ", ""))
        ):
            return text[:i].strip(), ch, text[i + 1 :].strip(" -–—:")
    return text.strip(), "", ""


def _split_nickname(who: str) -> tuple[str, str | None]:
    parts = _AKA.split(who, maxsplit=1)
    if len(parts) == 2:
        return parts[0].strip(), _clean(parts[1])
    quoted = _QUOTED_NICKNAME.match(who)
    if quoted:
        return quoted.group("name").strip(), _clean(quoted.group("nickname"))
    return who, None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().strip(_QUOTES).strip()
    return value or None
