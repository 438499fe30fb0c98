"""What an imported file's path says: its name for slug and title (a Hugo page bundle names
itself by its folder), a Jekyll post's date, a Hugo translation's language, a section page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

_JEKYLL_NAME = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})-(.+)")
# A translation is `name.<language>.md` (Hugo): ISO 639-1, optionally with a region.
_LANGUAGES = frozenset(
    (  # noqa: SIM905
        "aa ab af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv "
        "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi "
        "ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr "
        "ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne "
        "ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg "
        "si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug "
        "uk ur uz ve vi vo wa wo xh yi yo za zh zu "
    ).split()  # noqa: SIM905
)
_LANGUAGE = re.compile(r"([a-z]{2})(?:[-_][a-z]{2,4})?", re.IGNORECASE)


@dataclass(frozen=True)
class SourcePath:
    """What a file's path says: its name for slug and title, a Jekyll date, a language."""

    name: str
    jekyll_date: str | None
    language: str | None


def skip_reason(name: str) -> str | None:
    """Markdown files that are not reviews, listed as skipped."""
    stem = PurePosixPath(name).name.rsplit(".", 1)[0]
    if stem == "_index" or stem.startswith("_index."):
        return "a Hugo section page (_index.md), not a review"
    return None


def path_parts(name: str) -> SourcePath:
    path = PurePosixPath(name)
    stem, language = path.name.rsplit(".", 1)[0], None
    base, dot, last = stem.rpartition(".")
    match = _LANGUAGE.fullmatch(last) if dot else None
    if base and match and match.group(1).lower() in _LANGUAGES:
        stem, language = base, last.lower()
    if stem.lower() == "index" and len(path.parts) > 1:  # a page bundle: posts/name/index.md
        stem = path.parts[-2]
    jekyll = _JEKYLL_NAME.fullmatch(stem)
    if jekyll:
        year, month, day, stem = jekyll.groups()
        return SourcePath(stem, f"{year}-{month}-{day}", language)
    return SourcePath(stem, None, language)
