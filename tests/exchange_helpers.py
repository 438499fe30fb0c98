"""Sample journals for the export and import tests (our own demo text)."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal

from journal.editing import new_review, save
from journal.extensions import db
from journal.models import Character, Review

FULL_EXPORT = """\
---
title: "Night Shift: The Ward Never Sleeps – A drama that earns its tears"
slug: night-shift-the-ward-never-sleeps
date: 2025-02-07T09:30:00+09:00
lastmod: 2025-02-09T21:04:00+09:00
created: 2025-02-01T22:10:00+09:00
draft: false
tags: [K-drama, Medical]
description: "Hospital drama with a pulse."
work_title: "Night Shift: The Ward Never Sleeps"
original_title: "야간 병동"
media_type: drama
year: 2025
where_to_watch: Netflix
episodes: 8
runtime_minutes: 55
rating: 8.5
rating_scale: 10
characters:
  - {name: Han Do Yun, actor: Park Min Jae, nickname: null, notes: "The surgeon who *never* rests."}
  - {name: Seo Ji Ah, actor: null, nickname: Chief, notes: null}
render_with_liquid: false
---
The ward opens at night.

## Verdict

Worth it.

<!-- journal:characters -->
## Characters

- **Han Do Yun** (Park Min Jae)

  The surgeon who *never* rests.
- **Seo Ji Ah**, called “Chief”

<!-- /journal:characters -->
"""


def create_review(data: dict, status: str | None = None) -> Review:
    """A new review through the editor's own save(). Tags go in a second save: on the
    foundation's editing.py a first save with tags warns (fixed on main), and warnings fail."""
    review = save(new_review(), {k: v for k, v in data.items() if k != "tags"}, status)
    if data.get("tags"):
        save(review, data, status)
    return review


def make_full_review(app) -> int:
    """The review whose export is FULL_EXPORT (with TIMEZONE=Asia/Seoul)."""
    with app.app_context():
        review = create_review(
            {
                "title": "Night Shift: The Ward Never Sleeps – A drama that earns its tears",
                "work_title": "Night Shift: The Ward Never Sleeps",
                "original_title": "야간 병동",
                "media_type": "drama",
                "year": 2025,
                "where_to_watch": "Netflix",
                "episodes": 8,
                "runtime_minutes": 55,
                "rating": Decimal("8.5"),
                "verdict": "Hospital drama with a pulse.",
                "body": "The ward opens at night.\r\n\r\n## Verdict\r\n\r\nWorth it.\r\n",
                "tags": "Medical, K-drama",
            },
            "published",
        )
        review.created_at = datetime(2025, 2, 1, 13, 10)
        review.published_at = datetime(2025, 2, 7, 0, 30)
        review.updated_at = datetime(2025, 2, 9, 12, 4, 0, 123456)
        review.characters = [
            Character(
                name="Han Do Yun", actor="Park Min Jae", notes="The surgeon who *never* rests."
            ),
            Character(name="Seo Ji Ah", nickname="Chief", position=1),
        ]
        db.session.commit()
        return review.id


def make_sample_journal(app) -> None:
    """A small journal: two published reviews (one with Liquid/Hugo-looking text), one draft."""
    make_full_review(app)
    with app.app_context():
        create_review(
            {
                "title": "Paper Lanterns",
                "media_type": "film",
                "year": 2023,
                "rating": 7,
                "verdict": "Quiet, warm, slow.",
                "body": "A film about {{ lanterns }} and {% raw %} templates.\n\nIt glows.",
                "tags": "Romance, Slice of life",
                # The reviewer's record, so static sites build an export that has it.
                "story_score": Decimal("7.5"),
                "music_score": Decimal(9),
                "watch_status": "Completed",
                "episodes_seen": 1,
                "contains_spoilers": True,
                "country": "South Korea",
                "director": "Min Seo-yeon",
            },
            "published",
        )
        create_review(
            {"title": "Unfinished thoughts", "body": "Secret draft text.", "tags": "Thriller"},
        )


def review_count(app) -> int:
    with app.app_context():
        return db.session.query(Review).count()


def zip_of(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data.encode() if isinstance(data, str) else data)
    return buffer.getvalue()


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}
