"""Markdown renders on many threads at once (the development server's threads) stay apart."""

from __future__ import annotations

import threading

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
