"""Ratings as other sites write them, turned into the journal's: out of 10, in half points.

Read: a number with `rating_scale` (or `rating_max`, `out_of`), "4/5", "4 out of 5", stars
("★★★★☆", "★★★½" as out of 5). A rating without a scale is out of the scale the writer names
for the import, else 10; the importer asks when every unscaled rating of a source is 5 or less.
Decimals such as 8.7 are rounded to the nearest half point, with a warning: the editor accepts
only whole and half points, and a stored 8.7 could not be saved back from the editor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .frontmatter import shown

SCALE_KEYS = ("rating_scale", "rating_max", "out_of")
_FRACTION = re.compile(r"([0-9]+(?:[.,][0-9]+)?)\s*(?:/|out of|of)\s*([0-9]+(?:[.,][0-9]+)?)", re.I)
_STARS = set("★☆½✩✭⭐ ")


class RatingProblem(ValueError):
    """The rating cannot be read; the message says why."""


@dataclass(frozen=True)
class RawRating:
    value: Decimal
    scale: Decimal | None  # None: the file does not say
    written: str


def read_rating(meta: dict) -> RawRating | None:
    value = meta.get("rating")
    if value is None or value == "":
        return None
    scale = next((meta[k] for k in SCALE_KEYS if meta.get(k) not in (None, "")), None)
    written = shown(value) if not isinstance(value, str) else value.strip()[:60]
    scale = _number(scale, "rating_scale") if scale is not None else None
    if isinstance(value, str):
        text = value.strip()
        fraction = _FRACTION.fullmatch(text)
        if fraction:
            return RawRating(_number(fraction.group(1)), _number(fraction.group(2)), written)
        if text and set(text) <= _STARS:
            stars = text.count("★") + text.count("⭐") + text.count("✭")
            return RawRating(Decimal(stars) + Decimal("0.5") * text.count("½"), Decimal(5), written)
    return RawRating(_number(value), scale, written)


def _number(value, key: str = "rating") -> Decimal:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        number = Decimal(str(value).strip().replace(",", "."))
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise RatingProblem(f"“{key}” must be a number, not {shown(value)}") from None
    if key != "rating" and number <= 0:
        raise RatingProblem(f"“{key}” must be a number above 0, not {shown(value)}")
    return number


def out_of_ten(raw: RawRating, default_scale: int | None) -> tuple[Decimal, str | None]:
    """The stored rating and, when it had to be rounded, a warning. Raises RatingProblem."""
    scale = raw.scale if raw.scale is not None else Decimal(default_scale or 10)
    if not 0 <= raw.value <= scale:
        raise RatingProblem(f"“rating” is out of range: {raw.written} (from 0 to {scale:f})")
    exact = raw.value * 10 / scale
    rounded = ((exact * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2).quantize(
        Decimal("0.1")
    )
    if rounded != exact:
        return rounded, (
            f"its rating {raw.written} is {exact.normalize():f} out of 10, kept as {rounded:f} "
            "(the journal rates in half points)"
        )
    return rounded, None


def score_out_of_ten(value, key: str) -> tuple[Decimal, str | None]:
    """A sub-score (always out of 10) and, when it had to be rounded, a warning."""
    number = _number(value, "rating")
    if not 0 <= number <= 10:
        raise RatingProblem(f"“{key}” is out of range: {shown(value)} (from 0 to 10)")
    rounded = ((number * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP) / 2).quantize(
        Decimal("0.1")
    )
    if rounded != number:
        return rounded, f"its {key} {shown(value)} is kept as {rounded:f} (half points)"
    return rounded, None
