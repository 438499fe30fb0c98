"""Round trip: export, import into an empty journal, export again gives byte-identical files."""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from journal import exchange, fields, importing
from journal.archives import read_zip
from journal.extensions import db
from journal.models import Character, EpisodeNote, Review, Tag, Viewing

from .exchange_helpers import create_review, make_sample_journal, unzip, zip_of

AWKWARD = [
    'Colon: "quoted" # hash',
    "- starts like a list",
    "---",
    "'single' and \"double\"",
    "   leading spaces",
    "trailing spaces   ",
    "중증외상센터: 응급실의 밤",
    "🎬🍿 emoji title 👩‍⚕️",
    "yes",
    "null",
    "2025",
    "8.5",
    "{{ liquid }} {% tag %}",
    "[brackets], {braces}",
    "back\\slash",
    "K-drama",
]
# What the editor accepts in one-line text: no control characters.
LINE = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=40)
TEXT = st.one_of(st.sampled_from(AWKWARD), LINE).filter(lambda s: s.strip())
OPTIONAL = st.one_of(st.none(), TEXT)
BODY = st.one_of(
    st.just(""),
    st.lists(
        st.one_of(
            st.sampled_from(AWKWARD + ["", "\ttab", "    indented", "> quote", "# Heading", "\r"]),
            st.text(
                st.characters(exclude_categories=("Cc", "Cs"), include_characters="\n\t\r"),
                max_size=60,
            ),
        ),
        max_size=8,
    ).map("\n".join),
)
TIME = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31))
CHARACTER = st.fixed_dictionaries(
    {
        "name": TEXT.map(lambda s: s[:120]),
        "actor": OPTIONAL,
        "nickname": OPTIONAL,
        "notes": st.one_of(st.just(""), BODY),
    }
)
RATING = st.one_of(st.none(), st.integers(0, 20).map(lambda n: Decimal(n) / 2))
EPISODE_NOTE = st.fixed_dictionaries(
    {
        "episode": st.integers(1, 10_000),
        "title": OPTIONAL,
        "rating": RATING,
        "notes": st.one_of(st.just(""), BODY),
    }
)
VIEWING = st.fixed_dictionaries(
    {
        "watched_on": st.dates(date(1900, 1, 1), date(2025, 12, 31)),
        "rewatch": st.booleans(),
        "note": OPTIONAL,
        "rating": RATING,
    }
)
SCORE = RATING
REVIEW = st.fixed_dictionaries(
    {
        "title": TEXT,
        "work_title": OPTIONAL,
        "original_title": OPTIONAL,
        "media_type": OPTIONAL.map(lambda s: s and s[:40]),
        "year": st.one_of(st.none(), st.integers(1870, 2200)),
        "where_to_watch": OPTIONAL,
        "episodes": st.one_of(st.none(), st.integers(1, 10_000)),
        "runtime_minutes": st.one_of(st.none(), st.integers(1, 2_000)),
        "rating": st.one_of(st.none(), st.integers(0, 20).map(lambda n: Decimal(n) / 2)),
        "verdict": OPTIONAL,
        "story_score": SCORE,
        "acting_score": SCORE,
        "music_score": SCORE,
        "rewatch_score": SCORE,
        "watch_status": st.one_of(st.none(), st.sampled_from(fields.WATCH_STATUSES)),
        "episodes_seen": st.one_of(st.none(), st.integers(0, 10_000)),
        "contains_spoilers": st.booleans(),
        "network": OPTIONAL,
        "country": OPTIONAL,
        "director": OPTIONAL,
        "screenwriter": OPTIONAL,
        "body": BODY,
        "tags": st.lists(TEXT.map(lambda s: s.replace(",", " ")[:30]), max_size=4).map(", ".join),
    }
)


@pytest.fixture
def ny_app(make_app):
    """A zone with daylight saving time, so offsets differ through the year."""
    app = make_app(WTF_CSRF_ENABLED=False, TIMEZONE="America/New_York")
    return app


def empty_journal() -> None:
    db.session.execute(sa.delete(Review))
    db.session.execute(sa.delete(Tag))
    db.session.commit()
    db.session.expunge_all()


def export_all() -> dict[str, bytes]:
    return dict(unzip(b"".join(exchange.export_zip_stream(exchange.ExportSummary()))))


def import_zip(data: bytes) -> importing.ImportPlan:
    plan = importing.plan_import(read_zip(io.BytesIO(data)))
    assert plan.ok, plan.errors
    importing.apply_import(plan)
    db.session.expunge_all()
    return plan


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    # No "explain" phase: it imports code that warns, and warnings are errors here.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
)
@given(
    data=REVIEW,
    published=st.booleans(),
    times=st.tuples(TIME, TIME, TIME),
    characters=st.lists(CHARACTER, max_size=3),
    notes=st.lists(EPISODE_NOTE, max_size=3, unique_by=lambda n: n["episode"]),
    viewings=st.lists(VIEWING, max_size=3),
)
def test_export_import_export_is_byte_identical(
    ny_app, data, published, times, characters, notes, viewings
):
    if data["episodes"] is not None and (data["episodes_seen"] or 0) > data["episodes"]:
        data["episodes_seen"] = data["episodes"]  # the editor refuses more seen than there are
    with ny_app.app_context():
        empty_journal()
        review = create_review(data, "published" if published else None)
        review.created_at, review.updated_at, review.published_at = times
        review.characters = [
            Character(position=n, **{k: v for k, v in c.items()}) for n, c in enumerate(characters)
        ]
        review.episode_notes = [EpisodeNote(**n) for n in notes]
        review.viewings = [Viewing(**v) for v in viewings]
        db.session.commit()
        db.session.expunge_all()
        first = export_all()

        empty_journal()
        plan = import_zip(zip_of(first))
        assert plan.count("create") == 1
        second = export_all()
        assert second == first

        again = importing.plan_import(read_zip(io.BytesIO(zip_of(second))))
        assert again.describe() == "0 to create, 0 to update, 1 unchanged, 0 skipped"


def test_sample_journal_round_trips_with_drafts_and_timestamps(ny_app):
    make_sample_journal(ny_app)
    with ny_app.app_context():
        first = export_all()
        before = {
            r.slug: (r.status, r.created_at.replace(microsecond=0), len(r.characters))
            for r in db.session.scalars(sa.select(Review))
        }
        empty_journal()
        import_zip(zip_of(first))
        after = {
            r.slug: (r.status, r.created_at, len(r.characters))
            for r in db.session.scalars(sa.select(Review))
        }
        assert export_all() == first
    assert after == before
    assert after["unfinished-thoughts"][0] == "draft"


def poster(seed: int, size=(900, 1300)) -> bytes:
    """A JPEG with some detail, so its WebP is lossy work (not one flat colour)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (20 + seed % 200, 40, 90))
    draw = ImageDraw.Draw(image)
    for n in range(0, size[0], 37):
        draw.ellipse((n, n % 400, n + 80, n % 400 + 120), fill=(n % 255, 200 - seed % 100, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_review_with_a_cover_round_trips_byte_identically(ny_app):
    """The export holds covers/<slug>.webp beside reviews/; import reads it back (checked by
    Pillow, kept as exported since this journal wrote it), and the next export is identical."""
    from flask import current_app

    from journal import covers

    with ny_app.app_context():
        published = create_review({"title": "Night Train", "body": "Dark."}, "published")
        draft = create_review({"title": "Unfinished", "body": "Later."})
        root = covers.covers_root(current_app.instance_path)
        covers.set_cover(published, root, covers.process(poster(1)), "A train in the rain")
        covers.set_cover(draft, root, covers.process(poster(2, (2400, 1000))), 'A field: "wide"')
        db.session.expunge_all()
        first = export_all()
        assert set(first) == {
            "reviews/night-train.md", "drafts/unfinished.md",
            "covers/night-train.webp", "covers/unfinished.webp",
        }  # fmt: skip
        text = first["reviews/night-train.md"].decode()
        assert 'image: covers/night-train.webp\nimage_alt: "A train in the rain"\n' in text

        empty_journal()
        for name in list(root.iterdir()):  # a fresh journal: no cover files either
            name.unlink()
        plan = import_zip(zip_of(first))
        assert plan.count("create") == 2 and not plan.warnings, plan.warnings
        assert export_all() == first
        again = importing.plan_import(read_zip(io.BytesIO(zip_of(first))))
        assert again.describe() == "0 to create, 0 to update, 2 unchanged, 0 skipped"


def test_a_missing_or_bad_cover_is_a_warning_and_the_review_imports(ny_app):
    from journal.archives import Source, SourceFile

    with ny_app.app_context():
        empty_journal()
        text = "---\ntitle: A\nimage: {image}\nimage_alt: Poster\n---\nBody\n"
        files = [
            SourceFile("a.md", text.format(image="https://example.com/a.jpg").encode()),
            SourceFile("b.md", text.replace("A", "B").format(image="covers/b.webp").encode()),
            SourceFile("c.md", text.replace("A", "C").format(image="covers/c.webp").encode()),
        ]
        source = Source(files, [], {"covers/c.webp": b"<svg onload='x'></svg>"})
        plan = importing.plan_import(source)
        assert plan.ok and plan.count("create") == 3
        warnings = "\n".join(plan.warnings)
        assert "a.md: its “image” (https://example.com/a.jpg) is not imported: it is a" in warnings
        assert "b.md: its “image” (covers/b.webp) is not imported: no such file" in warnings
        assert "c.md: its “image” (covers/c.webp) is not imported: SVG images" in warnings
        importing.apply_import(plan)
        assert db.session.scalars(sa.select(Review.cover)).all() == [None, None, None]
