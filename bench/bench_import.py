"""Import speed: Check (read and plan) and Import (write) of a folder of 1,000 Markdown files.

Not part of pytest. Run from the repository root:

    python -m bench.bench_import [--files 1000] [--repeat 3]

The folder mixes the shapes import reads: Hugo page bundles with translations and `_index.md`
sections, Jekyll `_posts` with unpadded dates and categories, Obsidian notes with wikilinks, and
files of this journal's own export. Prints files per second for the plan alone and for plan and
write together, into an empty journal and again into the same journal (everything unchanged).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

WORDS = [
    "night",
    "train",
    "quiet",
    "sea",
    "harbour",
    "lantern",
    "ward",
    "surgeon",
    "palace",
    "rain",
    "city",
    "frost",
    "ember",
]


def make_folder(root: Path, files: int) -> None:
    rng = random.Random(7)
    for n in range(files):
        words = " ".join(rng.choice(WORDS) for _ in range(300))
        kind = n % 4
        if kind == 0:  # a Hugo bundle, every fifth with a translation and a section page
            folder = root / "content" / "posts" / f"film-{n}"
            text = f"---\ntitle: Film {n}\ndate: 2025-03-01\ntags: [Drama, Noir]\n---\n{words}\n"
            name = "index.md" if n % 20 else "index.zh.md"
            if n % 40 == 0:
                (root / "content" / f"section-{n}").mkdir(parents=True, exist_ok=True)
                (root / "content" / f"section-{n}" / "_index.md").write_text("---\ntitle: S\n---\n")
        elif kind == 1:  # Jekyll
            folder = root / "_posts"
            name = f"2025-{n % 12 + 1}-{n % 28 + 1}-post-{n}.md"
            text = (
                f"---\ntitle: Post {n}\ncategories: film review\nrating: 4\nrating_scale: 5\n---\n"
            )
            text += words + "\n"
        elif kind == 2:  # Obsidian, linking to the previous note
            folder = root / "Vault" / "Films"
            name = f"Note {n}.md"
            text = (
                f"# Note {n}\n\nSee [[Note {n - 4}]] and [[Note {n - 4}|the last one]].\n{words}\n"
            )
        else:  # this journal's own export
            folder = root / "reviews"
            name = f"own-{n}.md"
            text = (
                f'---\ntitle: "Own {n}"\nslug: own-{n}\ndate: 2025-02-07T09:30:00+00:00\n'
                "lastmod: 2025-02-09T21:04:00+00:00\ncreated: 2025-02-01T22:10:00+00:00\n"
                "draft: false\ntags: [K-drama]\nrating: 8.5\nrating_scale: 10\n"
                f"render_with_liquid: false\n---\n{words}\n"
            )
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def _timed(work):
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from journal import create_app, importing
    from journal.archives import read_path
    from journal.database import upgrade_schema
    from journal.extensions import db

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp, "source")
        make_folder(source, args.files)
        count = sum(1 for _ in source.rglob("*.md"))
        best: dict[str, tuple[float, float]] = {}
        for run in range(args.repeat):
            os.environ["JOURNAL_INSTANCE_PATH"] = tmp
            database = Path(tmp, f"journal-{run}.db")
            app = create_app(
                {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "b"}
            )
            with app.app_context():
                upgrade_schema()
                for label in ("into an empty journal", "again, all unchanged"):
                    plan, plan_wall, plan_cpu = _timed(
                        lambda: importing.plan_import(read_path(source))
                    )
                    _, write_wall, write_cpu = _timed(
                        lambda plan=plan: importing.apply_import(plan)
                    )
                    print(f"run {run + 1}, {label}: {plan.describe()}")
                    for key, wall, cpu in (
                        (f"Check {label}", plan_wall, plan_cpu),
                        (f"Check and Import {label}", plan_wall + write_wall, plan_cpu + write_cpu),
                    ):
                        old = best.get(key, (wall, cpu))
                        best[key] = (min(old[0], wall), min(old[1], cpu))
                db.engine.dispose()
        print(f"\n{count} Markdown files, best of {args.repeat}, load {os.getloadavg()[0]:.1f}:")
        for key, (wall, cpu) in best.items():
            print(
                f"  {key}: {count / cpu:.0f} files/s of CPU time ({count / wall:.0f} by the clock)"
            )


if __name__ == "__main__":
    main()
