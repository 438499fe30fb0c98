"""Timings of `/`, `/tags/<slug>` and `/search` on a journal of 10,000 generated reviews.

Not part of pytest. Run from the repository root:

    python -m bench.bench_genres [--reviews 10000] [--repeat 20]

Absolute times depend on the machine, so each page's median is also given as a ratio against a
baseline measured in the same run: `/` on a journal of 20 reviews, which is the smallest possible
amount of work for a page of 20. Ratios near 1 mean the work depends on the page size, not on the
number of reviews.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time

GENRES = [
    "Medical",
    "K-drama",
    "Thriller",
    "Melo",
    "Fantasy",
    "Romance",
    "Comedy",
    "Crime",
    "Historical",
    "Legal",
    "Mystery",
    "Horror",
    "Sci-fi",
    "Slice of life",
    "Action",
]
WORDS = [
    "surgeon",
    "night",
    "shift",
    "ward",
    "family",
    "secret",
    "revenge",
    "courtroom",
    "palace",
    "detective",
    "village",
    "friendship",
    "first",
    "love",
    "rival",
    "chef",
    "idol",
    "ghost",
    "time",
    "travel",
    "island",
    "winter",
    "letter",
    "promise",
]


def build(instance: str, reviews: int) -> object:
    os.environ["JOURNAL_INSTANCE_PATH"] = instance
    from journal import create_app
    from journal.database import upgrade_schema
    from journal.editing import new_review, save
    from journal.extensions import db

    app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    rng = random.Random(7)
    with app.app_context():
        upgrade_schema()
        for n in range(reviews):
            body = " ".join(rng.choice(WORDS) for _ in range(300))
            data = {
                "title": f"Review {n}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
                "work_title": f"Work {n}",
                "verdict": " ".join(rng.choice(WORDS) for _ in range(8)),
                "body": body,
                "tags": ", ".join(rng.sample(GENRES, 5)),
            }
            save(new_review(), data, "published" if n % 10 else None)
            if n % 1000 == 999:
                print(f"  {n + 1} reviews", flush=True)
        db.engine.dispose()
    return app


def median_ms(client, url: str, repeat: int) -> float:
    client.get(url)  # warm up caches and templates
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as small_dir, tempfile.TemporaryDirectory() as big_dir:
        print("Baseline journal: 20 reviews")
        small = build(small_dir, 20)
        baseline = median_ms(small.test_client(), "/", args.repeat)
        print(f"Large journal: {args.reviews} reviews, 5 genres each")
        start = time.perf_counter()
        big = build(big_dir, args.reviews)
        print(f"  generated in {time.perf_counter() - start:.0f} s")
        client = big.test_client()
        print(f"\nbaseline `/` on 20 reviews: {baseline:.1f} ms (median of {args.repeat})")
        print(f"{'page':<32}{'median ms':>10}{'ratio':>8}")
        middle = max(1, args.reviews * 9 // 10 // 20 // 2)  # a page in the middle of the journal
        urls = [
            "/",
            f"/?page={middle}",
            "/tags/melo",
            f"/tags/melo?page={max(1, middle // 3)}",
            "/search?q=surgeon",
            "/search?q=first+love",
            "/search?q=zzzz",
            "/feed.atom",
            "/tags",
        ]
        for url in urls:
            ms = median_ms(client, url, args.repeat)
            print(f"{url:<32}{ms:>10.1f}{ms / baseline:>8.2f}")


if __name__ == "__main__":
    main()
