"""Markdown renders stay apart on threads and bounded at the body limit, and sanitize the same."""

from __future__ import annotations

import threading
import time

from journal.markdown import render

THREADS = 8
ROUNDS = 150


def test_concurrent_renders_each_get_only_their_own_text():
    start = threading.Barrier(THREADS)
    failures: list[str] = []

    def work(n: int) -> None:
        marker = f"marker{n:02d}x"
        source = "\n\n".join(
            [f"# {marker} heading", f"Some *{marker}* words and a [link](https://e.org/{marker})."]
            + [f"| {marker} | cell {i} |\n|---|---|\n| {marker} | {i} |" for i in range(3)]
        )
        start.wait()
        for _ in range(ROUNDS):
            try:
                html = str(render(source))
            except Exception as error:  # noqa: BLE001 - any crash is the failure we look for
                failures.append(f"{marker}: {type(error).__name__}: {error}")
                continue
            others = [m for m in range(THREADS) if m != n and f"marker{m:02d}x" in html]
            if others or html.count(marker) != 9:
                failures.append(f"{marker}: got {html[:120]!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, f"{len(failures)} mixed or crashed renders, e.g. {failures[:3]}"


def test_a_table_at_the_body_limit_renders_in_bounded_time():
    """A 200,000-character table, and wide headers padded over short lines, stay cheap: past the
    cell limit a table shows as text, and the sanitizer walks the tree in linear time."""
    from journal.fields import REVIEW
    from journal.markdown_limits import MAX_TABLE_CELLS

    rows = ("| a | b | c |\n|---|---|---|\n" + "| x | y | z |\n" * 20_000)[
        : REVIEW["body"].max_length
    ]
    wide = ("|" + "h|" * 100 + "\n|" + "-|" * 100 + "\n" + "x\n" * 700 + "\n") * 30
    small = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 50
    for text in (rows, small + "\n\n" + wide):
        started = time.perf_counter()
        html = str(render(text))
        # Minutes before (135 s for the first); about a second here. A safety net only.
        assert time.perf_counter() - started < 20
        assert html.count("<td") <= MAX_TABLE_CELLS
    assert str(render(small)).count("<td>") == 100  # an ordinary table is still a table
    assert "<td>" not in str(render(rows))  # past the limit: shown as text, nothing lost
    assert str(render(rows)).count("| x | y | z |") > 10_000


def test_one_reference_repeated_cannot_blow_up_the_page():
    text = "[r]: /" + "u" * 2000 + "\n\n" + "[r] " * 20_000  # 40 MB of HTML if rendered
    html = str(render(text))
    assert len(html) < 2 * len(text) and "too large" in html and "[r] [r]" in html


def test_the_linear_sanitizer_walk_gives_what_html5lib_gives():
    import random

    from bleach import html5lib_shim

    from journal import markdown

    ours, theirs = markdown._new_cleaner(), markdown._new_cleaner()
    theirs.walker = html5lib_shim.getTreeWalker("etree")
    pieces = [
        "*a*",
        "[l](http://x.y/?a=1&b=2)",
        "<b>x</b>",
        "`c`",
        "\n\n",
        "> q\n",
        "- i\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "::: spoiler\nS\n:::\n",
        "www.example.com ",
        "<script>x</script>",
        "<!-- c -->",
        "<a href='javascript:x'>",
        "</a>",
        "<td>",
        "t ",
    ]
    md, chance = markdown._new_md(), random.Random(3)
    for _ in range(300):
        source = "".join(chance.choice(pieces) for _ in range(chance.randint(1, 30)))
        for html in (md.render(source), source):
            assert ours.clean(html) == theirs.clean(html), source
