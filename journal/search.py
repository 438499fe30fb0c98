"""Full-text search over reviews, ranked, with highlighted snippets. No request objects here.

SQLite uses the FTS5 index of search_index.py (bm25 ranking, snippet()); PostgreSQL its tsvector
documents (ts_rank_cd ranking, ts_headline()); any other database gets a LIKE search over the
same fields. Readers search published reviews; the writer also drafts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup, escape
from sqlalchemy.orm import selectinload

from . import search_index
from .extensions import db
from .models import PUBLISHED, Character, Review, Tag

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
# Column weights for bm25, in search_index.COLUMNS order: a hit in a title counts most.
WEIGHTS = (10.0, 8.0, 8.0, 4.0, 1.0, 2.0, 5.0)
# Markers around matched terms in snippet(); the text is escaped before they become <mark>.
_OPEN, _CLOSE = "\x02", "\x03"
# ts_headline drops what looks like an HTML tag; "<" is hidden from it so typed HTML shows as text.
_LT = "\x04"
_MARKED = re.compile(f"{_OPEN}(.*?){_CLOSE}", re.S)


@dataclass
class Hit:
    review: Review
    snippet: Markup


@dataclass
class Results:
    query: str
    hits: list[Hit]
    page: int
    has_next: bool


def terms_of(query: str) -> list[str]:
    """The words of a query; FTS syntax characters lose their meaning (each term is quoted)."""
    words = re.findall(r"\w+", query[:MAX_QUERY_CHARS])
    return words[:MAX_TERMS]


def fts_query(terms: list[str]) -> str:
    """Every term quoted (so NEAR, AND, `-` and `*` are plain words); the last one as a prefix."""
    quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
    quoted[-1] += "*"
    return " ".join(quoted)


def highlight(raw: str) -> Markup:
    """Escape the snippet text, then turn the FTS markers into <mark> elements."""
    out, pos = [], 0
    for match in _MARKED.finditer(raw):
        out.append(escape(_strip_markers(raw[pos : match.start()])))
        out.append(Markup("<mark>%s</mark>") % _strip_markers(match.group(1)))
        pos = match.end()
    out.append(escape(_strip_markers(raw[pos:])))
    return Markup("").join(out)


def _strip_markers(text: str) -> str:
    return text.replace(_OPEN, "").replace(_CLOSE, "")


def highlight_terms(text: str, terms: list[str], width: int = 160) -> Markup:
    """A snippet around the first matched term, built in Python (the LIKE fallback)."""
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.I)
    first = pattern.search(text)
    start = max(0, first.start() - width // 3) if first else 0
    window = text[start : start + width]
    marked = pattern.sub(lambda m: _OPEN + m.group(0) + _CLOSE, window)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return Markup("%s%s%s") % (prefix, highlight(marked), suffix)


def search_reviews(query: str, include_drafts: bool, page: int = 1, per_page: int = 20) -> Results:
    terms = terms_of(query)
    if not terms:
        return Results(query, [], 1, False)
    offset = (page - 1) * per_page
    index = search_index.kind(db.session.connection())
    find = {"fts5": _fts_rows, "tsvector": _pg_rows}.get(index, _like_rows)
    rows = find(terms, include_drafts, per_page + 1, offset)
    has_next = len(rows) > per_page
    rows = rows[:per_page]
    reviews = {
        r.id: r
        for r in db.session.scalars(
            sa.select(Review)
            .where(Review.id.in_([review_id for review_id, _ in rows]))
            .options(selectinload(Review.tags))
        )
    }
    hits = [
        Hit(reviews[i], _shown_snippet(reviews[i], snippet)) for i, snippet in rows if i in reviews
    ]
    return Results(query, hits, page, has_next)


def _shown_snippet(review: Review, snippet: Markup) -> Markup:
    """A review flagged as containing spoilers shows its verdict, never a piece of its body."""
    if not review.contains_spoilers:
        return snippet
    return escape(review.verdict or "") + Markup(" <em>(contains spoilers)</em>")


def _fts_rows(terms, include_drafts, limit, offset) -> list[tuple[int, Markup]]:
    weights = ", ".join(str(w) for w in WEIGHTS)
    status = "" if include_drafts else "AND r.status = :published"
    sql = sa.text(
        f"SELECT r.id, snippet({search_index.TABLE}, -1, :open, :close, '…', 24) "
        f"FROM {search_index.TABLE} JOIN reviews r ON r.id = {search_index.TABLE}.rowid "
        f"WHERE {search_index.TABLE} MATCH :match {status} "
        f"ORDER BY bm25({search_index.TABLE}, {weights}), r.id DESC "
        "LIMIT :limit OFFSET :offset"
    )
    params = {
        "open": _OPEN,
        "close": _CLOSE,
        "match": fts_query(terms),
        "published": PUBLISHED,
        "limit": limit,
        "offset": offset,
    }
    return [(row[0], highlight(row[1])) for row in db.session.execute(sql, params)]


def pg_query(terms: list[str]) -> tuple[str, str]:
    """websearch_to_tsquery text for the whole words and a prefix lexeme for the last one, so
    "harb" finds Harbour as you type. Terms are word characters only, so quoting is enough."""
    return " ".join(terms[:-1]), "'" + terms[-1] + "':*"


def _pg_rows(terms, include_drafts, limit, offset) -> list[tuple[int, Markup]]:
    words, prefix = pg_query(terms)
    status = "" if include_drafts else "AND r.status = :published"
    whole = "websearch_to_tsquery(cfg.config, :words) && " if words else ""
    sql = sa.text(
        "WITH cfg AS (SELECT config FROM search_settings LIMIT 1), "
        f"q AS (SELECT cfg.config, {whole}to_tsquery(cfg.config, :prefix) AS query FROM cfg) "
        "SELECT r.id, ts_headline(q.config, replace(concat_ws(' ', r.verdict, r.body, "
        "  (SELECT string_agg(concat_ws(' ', c.name, c.nickname, c.actor, c.notes), ' ') "
        "   FROM characters c WHERE c.review_id = r.id)), '<', :lt), q.query, :options) "
        f"FROM {search_index.PG_TABLE} d JOIN reviews r ON r.id = d.review_id, q "
        f"WHERE d.document @@ q.query {status} "
        "ORDER BY ts_rank_cd(d.document, q.query) DESC, r.id DESC "
        "LIMIT :limit OFFSET :offset"
    )
    params = {
        "words": words,
        "prefix": prefix,
        "options": f'StartSel="{_OPEN}", StopSel="{_CLOSE}", MaxWords=24, MinWords=10, '
        'MaxFragments=1, FragmentDelimiter="…"',
        "lt": _LT,
        "published": PUBLISHED,
        "limit": limit,
        "offset": offset,
    }
    rows = db.session.execute(sql, params)
    return [(row[0], highlight(row[1].replace(_LT, "<"))) for row in rows]


def _like_rows(terms, include_drafts, limit, offset) -> list[tuple[int, Markup]]:
    """Every term must appear somewhere; newest first (no ranking without an index)."""
    fields = (Review.title, Review.work_title, Review.original_title, Review.verdict, Review.body)
    query = sa.select(Review.id, Review.verdict, Review.body)
    for term in terms:
        like = f"%{term}%"
        query = query.where(
            sa.or_(
                *(f.ilike(like) for f in fields),
                Review.characters.any(
                    sa.or_(Character.name.ilike(like), Character.notes.ilike(like))
                ),
                Review.tags.any(Tag.name.ilike(like)),
            )
        )
    if not include_drafts:
        query = query.where(Review.status == PUBLISHED)
    query = query.order_by(Review.updated_at.desc(), Review.id.desc()).limit(limit).offset(offset)
    return [
        (row.id, highlight_terms(row.body or row.verdict or "", terms))
        for row in db.session.execute(query)
    ]


def reindex_review(review_id: int) -> None:
    """Rebuild one review's index row. Not needed after ordinary writes (triggers do it)."""
    connection = db.session.connection()
    index = search_index.kind(connection)
    if index == "fts5":
        search_index.reindex_review(connection, review_id)
    elif index == "tsvector":
        search_index.pg_reindex_review(connection, review_id)


def rebuild_index() -> None:
    connection = db.session.connection()
    index = search_index.kind(connection)
    if index == "fts5":
        search_index.rebuild(connection)
    elif index == "tsvector":
        search_index.pg_rebuild(connection)
