"""Work that could grow faster than its input, timed at its size limit (issue 9, items 7-9).

`python -m bench.bench_bounds` prints one line per case: Markdown renders of hostile bodies,
diffs of two revisions, a 1,200-genre import and a public page of a 200,000-character body.
"""

from __future__ import annotations

import itertools
import json
import tempfile
import time
from pathlib import Path

from journal import create_app, diffs, markdown
from journal.archives import Source, SourceFile
from journal.database import upgrade_schema
from journal.editing import new_review, save
from journal.extensions import db
from journal.fields import REVIEW
from journal.importing import apply_import, plan_import

MAX_BODY_CHARS = REVIEW["body"].max_length

N = MAX_BODY_CHARS
RENDERS = {
    "prose": ("Some words here and there, *emph* and [link](https://e.org). " * 4000)[:N],
    "table rows": ("|a|b|c|\n|-|-|-|\n" + "|x|y|z|\n" * 30000)[:N],
    "wide headers": (("|" + "a|" * 100 + "\n|" + "-|" * 100 + "\n" + "x\n" * 700 + "\n") * 100)[:N],
    "one reference x60,000": "[r]: /" + "u" * 1000 + "\n\n" + "[r]" * 60000,
    "40,000 paragraphs": "*a*\n\n" * 40000,
    "40,000 list items": "- *a*\n" * 40000,
    "100,000 lines": "a\n" * (N // 2),
}
LINE = "The same line of the review, again and again.\n"
REPEATED = (LINE * (N // len(LINE)))[: N - 20]
DIFFS = {
    "64 KB of one word": ("word " * 13_000, "word " * 6_500 + "other " + "word " * 6_499),
    "repeated lines, both ends": (REPEATED, "New start.\n" + REPEATED + "\nNew end."),
    "repeated lines vs others": (REPEATED, REPEATED.replace("same", "some")),
    "empty lines vs words": ("\n" * N, "a\n" * (N // 2)),
}


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main() -> None:
    for name, text in RENDERS.items():
        html, seconds = timed(lambda t=text: markdown.render(t))
        print(f"render  {name:28} {len(text):>8} chars {seconds:7.2f} s  {len(html):>9} HTML")
    for name, (old, new) in DIFFS.items():
        result, seconds = timed(lambda o=old, n=new: diffs.snapshot_diff({"body": o}, {"body": n}))
        _, size_seconds = timed(
            lambda o=old, n=new: diffs.snapshot_change_size({"body": o}, {"body": n})
        )
        print(
            f"diff    {name:28} {seconds:7.2f} s  work {result.work:>8}  coarse {result.coarse}"
            f"  change size {size_seconds:.2f} s"
        )
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(folder) / 'j.db'}", "SECRET_KEY": "b"}
        )
        with app.app_context():
            upgrade_schema()
            marks = "!?$%&*+=~^@"
            names = list(
                itertools.islice(
                    (
                        "".join(p)
                        for n in itertools.count(1)
                        for p in itertools.product(marks, repeat=n)
                    ),
                    1200,
                )
            )
            text = f"---\ntitle: Symbols\ndate: 2025-01-01\ntags: {json.dumps(names)}\n---\nB.\n"
            plan = plan_import(Source([SourceFile("s.md", text.encode())], []))
            _, seconds = timed(lambda: apply_import(plan))
            print(f"import  1,200 punctuation-only genres {len(text)} bytes {seconds:7.2f} s")
            review = save(new_review(), {"title": "Long", "body": RENDERS["prose"]}, "published")
            slug = review.slug
        client = app.test_client()
        _, seconds = timed(lambda: client.get(f"/reviews/{slug}"))
        print(f"page    /reviews/<200,000 characters> {seconds:7.2f} s (stored HTML)")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
