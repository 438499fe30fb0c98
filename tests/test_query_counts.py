"""Lists, genre pages, search and feeds run a fixed number of SQL statements, whatever the page
size: genres and counts are loaded in bulk, never one query per review (no N+1)."""

import sqlalchemy as sa

from journal.editing import new_review, save
from journal.extensions import db

GENRES = "Medical, K-drama, Thriller, Melo, Fantasy"
LISTS = ["/", "/tags/melo", "/search?q=orchid", "/feed.atom", "/tags/melo/feed.atom"]


def statements(app, url: str) -> tuple[int, str]:
    seen: list[str] = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        response = app.test_client().get(url)
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert response.status_code == 200, url
    return len(seen), response.text


def test_statement_count_does_not_depend_on_the_page_size(make_app):
    small = make_app(WTF_CSRF_ENABLED=False, REVIEWS_PER_PAGE=1)
    with small.app_context():
        for n in range(25):
            data = {"title": f"Orchid {n}", "body": "orchid", "tags": GENRES}
            save(new_review(), data, "published")
    large = make_app(WTF_CSRF_ENABLED=False, REVIEWS_PER_PAGE=20)  # the same journal
    for url in LISTS:
        one, _ = statements(small, url)
        twenty, text = statements(large, url)
        assert text.count("Orchid ") >= 20, url  # a full page of 20 reviews with 5 genres each
        if "feed" not in url:
            assert text.count('class="tag"') >= 100, url
        assert one == twenty, (url, one, twenty)
        assert twenty <= 5, (url, twenty)
    count, text = statements(large, "/tags")
    assert count <= 2 and text.count("(25)") == 5
