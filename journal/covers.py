"""A review's cover image: checked, cleaned and stored. No request objects here.

Every image is decoded by Pillow and re-encoded before it is stored or served, never kept as
uploaded: the size is read from the header and checked against a pixel limit before a single
pixel is decoded, SVG is refused by its content whatever the file is called, EXIF orientation is
applied and then every piece of metadata (EXIF, GPS, XMP, ICC, comments) is dropped, and the
image becomes a WebP at most 1600 px wide plus a 480 px wide copy. Files are named by the hash
of the large copy, so a new image gets a new URL and the old one may be cached for a year.

One exception keeps export and import byte-identical: an import may keep a WebP as it is when it
is one this module could have written (only image chunks, no metadata, no trailing bytes, not
wider than 1600 px) and Pillow decodes it whole; re-encoding a lossy WebP would change its bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from PIL import Image, ImageOps, UnidentifiedImageError

from .extensions import db
from .filemodes import make_private
from .models import PUBLISHED, Review, utcnow

MAX_BYTES = 20 * 1024 * 1024  # the largest file accepted (config: COVER_MAX_UPLOAD_BYTES)
MAX_PIXELS = 40_000_000  # width × height, read from the header before decoding
WIDTH, SMALL_WIDTH = 1600, 480
QUALITY = 82
FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
ALT_REQUIRED = "Give the cover a short description (alt text)."
FILE_NAME = re.compile(r"([0-9a-f]{32})(-480)?\.webp")
# Chunks of a WebP that hold nothing but the image (VP8X may announce metadata: checked below).
_IMAGE_CHUNKS = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
_VP8X_METADATA = 0x2C  # the ICC, EXIF and XMP flags
_DECODE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, struct.error, IndexError)


class CoverProblem(ValueError):
    """The image is refused; the message says why, in the writer's words."""


@dataclass(frozen=True)
class Cover:
    name: str  # the content hash both files are named by
    large: bytes
    small: bytes
    width: int
    height: int


def process(data: bytes, *, keep_canonical: bool = False, max_bytes: int = MAX_BYTES) -> Cover:
    """The cover made from an uploaded file. Raises CoverProblem.

    `keep_canonical` (import only): a WebP this module could have written is kept byte for byte.
    """
    if len(data) > max_bytes:
        raise CoverProblem(f"The image is larger than {max_bytes / (1024 * 1024):g} MB.")
    if _looks_like_svg(data):
        raise CoverProblem("SVG images are not accepted: use a JPEG, PNG or WebP file.")
    image = _decode(data)
    image = _upright(image)
    large_image = _fit(image, WIDTH)
    kept = keep_canonical and _is_canonical_webp(data, image)
    large = data if kept else _encode(large_image)
    small = _encode(_fit(large_image, SMALL_WIDTH))
    name = hashlib.sha256(large).hexdigest()[:32]
    return Cover(name, large, small, large_image.width, large_image.height)


def _looks_like_svg(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) and b"<svg" in head


def _decode(data: bytes) -> Image.Image:
    """The first frame, decoded only once its header's size is within MAX_PIXELS."""
    unreadable = CoverProblem(
        "This file is not an image the journal can read: use a JPEG, PNG or WebP file."
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise CoverProblem(
            f"The image has too many pixels (at most {MAX_PIXELS // 1_000_000} megapixels)."
        ) from None
    except UnidentifiedImageError:
        raise unreadable from None
    except _DECODE_ERRORS:
        raise unreadable from None
    width, height = image.size
    if width * height > MAX_PIXELS:  # from the header: no pixel decoded yet
        raise _too_large(width, height)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.seek(0)
            if image.format == "JPEG":  # decode at the smallest scale still 1600 px either way
                image.draft(image.mode, (WIDTH, WIDTH))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, *_DECODE_ERRORS):
        raise CoverProblem(
            "The image cannot be read: the file is damaged or cut short. Try another one."
        ) from None
    if width < 1 or height < 1:
        raise unreadable
    return image


def _too_large(width: int, height: int) -> CoverProblem:
    return CoverProblem(
        f"The image is {width:,} × {height:,} pixels; a cover may have at most "
        f"{MAX_PIXELS // 1_000_000} megapixels."
    )


def _upright(image: Image.Image) -> Image.Image:
    """EXIF orientation applied, then a fresh image of the pixels alone: no metadata left."""
    with contextlib.suppress(*_DECODE_ERRORS):  # a broken EXIF block: the image as stored
        image = ImageOps.exif_transpose(image)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    converted = image.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def _fit(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def _is_canonical_webp(data: bytes, image: Image.Image) -> bool:
    """Only RIFF image chunks, no metadata flags, nothing after the RIFF, not too wide."""
    if image.width > WIDTH or len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return False
    if struct.unpack("<I", data[4:8])[0] + 8 != len(data):
        return False
    position = 12
    while position < len(data):
        if position + 8 > len(data):
            return False
        kind = data[position : position + 4]
        (size,) = struct.unpack("<I", data[position + 4 : position + 8])
        if kind not in _IMAGE_CHUNKS or position + 8 + size > len(data):
            return False
        if kind == b"VP8X" and (size < 1 or data[position + 8] & _VP8X_METADATA):
            return False
        position += 8 + size + (size & 1)
    return position == len(data)


# ---- files --------------------------------------------------------------------------------


def covers_root(instance_path: str) -> Path:
    root = Path(instance_path, "covers")
    make_private(str(root), folder=True)
    return root


def file_names(name: str) -> tuple[str, str]:
    return f"{name}.webp", f"{name}-480.webp"


def store(root: Path, cover: Cover) -> None:
    """Both files, each written whole (a reader never sees half a file), owner-only."""
    for file_name, data in zip(file_names(cover.name), (cover.large, cover.small), strict=True):
        target = root / file_name
        if target.exists():
            continue
        partial = root / f".{file_name}.{os.getpid()}.part"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        partial.replace(target)


def large_file(root: Path, name: str) -> Path:
    return root / file_names(name)[0]


def remove_unused(root: Path, names: set[str], used: set[str]) -> None:
    """The files of `names` that no review uses any more."""
    for name in names - used:
        for file_name in file_names(name):
            (root / file_name).unlink(missing_ok=True)


def small_height(width: int | None, height: int | None) -> int | None:
    """The 480 px copy's height, as _fit makes it."""
    if not width or not height:
        return None
    if width <= SMALL_WIDTH:
        return height
    return max(1, round(height * SMALL_WIDTH / width))


# ---- a review's cover ---------------------------------------------------------------------


def set_cover(review: Review, root: Path, cover: Cover | None, alt: str | None) -> None:
    """Give the review `cover` (None: remove it) and commit; files no review uses go. The
    review's version stays: a cover saved beside an open editor is not an edit conflict."""
    old = review.cover
    if cover is not None:
        store(root, cover)
        review.cover, review.cover_width, review.cover_height = (
            cover.name,
            cover.width,
            cover.height,
        )
        review.cover_alt = alt
    else:
        review.cover = review.cover_width = review.cover_height = review.cover_alt = None
    review.updated_at = utcnow()
    db.session.commit()
    if old and old != review.cover:
        drop_unused(root, {old})


def set_alt(review: Review, alt: str) -> None:
    review.cover_alt = alt
    review.updated_at = utcnow()
    db.session.commit()


def drop_unused(root: Path, names: set[str]) -> None:
    used = set(db.session.scalars(sa.select(Review.cover).where(Review.cover.in_(names))))
    remove_unused(root, names, used)


def visibility(name: str) -> str | None:
    """ "public" when a published review shows the cover, "writer" when only drafts do, else
    None (no such cover)."""
    statuses = set(db.session.scalars(sa.select(Review.status).where(Review.cover == name)))
    if PUBLISHED in statuses:
        return "public"
    return "writer" if statuses else None
