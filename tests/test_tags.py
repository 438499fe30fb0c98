"""Genres: de-duplication, public pages and counts, suggestions, rename/merge/delete, filters."""

import sqlalchemy as sa

from journal.extensions import db
from journal.models import Review, Tag

from .conftest import csrf_token_from


def tags_of(app, review_id):
    with app.app_context():
        return [t.name for t in db.session.get(Review, review_id).tags]


def all_tags(app):
    with app.app_context():
        return sorted((t.name, t.slug) for t in db.session.scalars(sa.select(Tag)))


def test_spellings_of_one_genre_are_one_tag_spelled_as_first_typed(app, sample_review):
    first = sample_review("One", tags="K-drama, Medical")
    second = sample_review("Two", tags="k-drama , K-DRAMA,  k-Drama")
    third = sample_review("Three", tags="K-Drama,   medical")
    assert all_tags(app) == [("K-drama", "k-drama"), ("Medical", "medical")]
    assert tags_of(app, first) == ["K-drama", "Medical"]
    assert tags_of(app, second) == ["K-drama"]
    assert tags_of(app, third) == ["K-drama", "Medical"]


def test_unicode_genres_get_usable_stable_slugs(app, client, sample_review):
    sample_review("Hangul", status="published", tags="멜로,  Ação ")
    assert all_tags(app) == [("Ação", "ação"), ("멜로", "멜로")]
    sample_review("Again", status="published", tags="멜로 ")
    assert all_tags(app) == [("Ação", "ação"), ("멜로", "멜로")]
    page = client.get("/tags/멜로")
    assert page.status_code == 200
    assert "Hangul" in page.text and "Again" in page.text


def test_genre_page_lists_published_reviews_paginated(make_app, sample_review):
    app = make_app(WTF_CSRF_ENABLED=False, REVIEWS_PER_PAGE=2)
    client = app.test_client()
    with app.app_context():
        from journal.editing import new_review, save

        for n in range(3):
            save(new_review(), {"title": f"Thriller {n}", "tags": "Thriller"}, "published")
        save(new_review(), {"title": "Secret draft", "tags": "Thriller"})
    first = client.get("/tags/thriller")
    assert "Thriller 2" in first.text and "Thriller 1" in first.text
    assert "Thriller 0" not in first.text and "Secret draft" not in first.text
    assert "Page 1 of 2" in first.text
    second = client.get("/tags/thriller?page=2")
    assert "Thriller 0" in second.text


def test_counts_never_include_drafts_for_readers(client, sample_review):
    sample_review("Out", status="published", tags="Medical, Melo")
    sample_review("Hidden", tags="Medical, Secret genre")
    page = client.get("/tags")
    assert page.status_code == 200
    assert 'Medical</a> <small class="count">(1)' in page.text
    assert "Melo</a>" in page.text
    assert "Secret genre" not in page.text
    assert client.get("/tags/secret-genre").status_code == 404
    assert client.get("/tags/secret-genre/feed.atom").status_code == 404
    assert client.get("/tags/no-such-genre").status_code == 404
    assert "Hidden" not in client.get("/tags/medical").text


def test_review_pages_link_their_genres(client, sample_review):
    sample_review("Linked", status="published", tags="Fantasy")
    assert 'href="/tags/fantasy"' in client.get("/reviews/linked").text
    assert 'href="/tags/fantasy"' in client.get("/").text


def test_navigation_has_search_and_genres_for_everyone(client, writer):
    page = client.get("/").text
    assert 'aria-label="Search"' in page and 'type="search"' in page
    assert '<a href="/tags">Genres</a>' in page
    assert "Manage genres" in page
    writer.logout()
    page = client.get("/").text
    assert '<a href="/tags">Genres</a>' in page and "Manage genres" not in page


def test_suggestions_match_the_name_being_typed_with_counts_including_drafts(
    client, writer, sample_review
):
    sample_review("A", status="published", tags="Medical, Melo")
    sample_review("B", tags="Medical")
    sample_review("C", tags="Thriller")
    page = client.get("/write/tags/suggest", query_string={"tags": "Thriller, me"})
    assert page.status_code == 200
    assert "<body" not in page.text
    assert 'role="listbox"' in page.text and page.text.count('role="option"') == 2
    assert 'data-name="Medical"' in page.text and "(2)" in page.text
    # Names already in the field are not offered again; an empty fragment offers nothing.
    page = client.get("/write/tags/suggest", query_string={"tags": "medical, ME"})
    assert 'data-name="Medical"' not in page.text and 'data-name="Melo"' in page.text
    assert "option" not in client.get("/write/tags/suggest", query_string={"tags": "x, "}).text
    # LIKE wildcards are just characters.
    assert "option" not in client.get("/write/tags/suggest", query_string={"tags": "%"}).text


def test_suggestions_and_management_need_login(client, sample_review):
    sample_review("Hidden", tags="Medical")
    for url in ["/write/tags/", "/write/tags/1/rename", "/write/tags/1/merge"]:
        response = client.get(url)
        assert response.status_code in (302, 401), url
    for url in ["/write/tags/1/rename", "/write/tags/1/merge", "/write/tags/1/delete"]:
        assert client.post(url).status_code in (302, 401), url
    # Suggestions show nothing to a visitor, and never redirect an editor whose session expired.
    response = client.get("/write/tags/suggest?tags=me", headers={"HX-Request": "true"})
    assert response.status_code == 204 and "HX-Redirect" not in response.headers
    assert response.data == b""


def test_editor_tags_field_is_a_combobox_that_works_as_plain_text(client, writer, sample_review):
    review_id = sample_review("Editable", tags="Melo")
    page = client.get(f"/write/{review_id}").text
    assert 'role="combobox"' in page and 'name="tags"' in page
    assert 'value="Melo, "' in page  # saved Tags end in a separator, so typing adds
    assert 'data-hx-get="/write/tags/suggest"' in page
    response = client.post(
        f"/write/{review_id}",
        data={"title": "Editable", "tags": "Melo, thriller", "action": "save"},
    )
    assert response.status_code == 303
    assert tags_of(client.application, review_id) == ["Melo", "thriller"]


def test_rename_keeps_slug_and_refuses_an_existing_name(app, client, writer, sample_review):
    review_id = sample_review("R", status="published", tags="Melo, Thriller")
    with app.app_context():
        melo = db.session.scalar(sa.select(Tag).where(Tag.slug == "melo"))
        melo_id = melo.id
    assert client.get(f"/write/tags/{melo_id}/rename").status_code == 200
    response = client.post(f"/write/tags/{melo_id}/rename", data={"name": "  thriller "})
    assert response.status_code == 422
    assert "already exists" in response.text and 'value="thriller"' in response.text
    response = client.post(
        f"/write/tags/{melo_id}/rename", data={"name": "Melodrama"}, follow_redirects=True
    )
    assert "Renamed “Melo” to “Melodrama”." in response.text
    assert tags_of(app, review_id) == ["Melodrama", "Thriller"]
    assert ("Melodrama", "melo") in all_tags(app)
    assert client.post(f"/write/tags/{melo_id}/rename", data={"name": " "}).status_code == 422
    assert client.post("/write/tags/9999/rename", data={"name": "x"}).status_code == 404


def test_merge_moves_reviews_and_keeps_their_other_genres(app, client, writer, sample_review):
    both = sample_review("Both", status="published", tags="Melo, Melodrama, Fantasy")
    only = sample_review("Only", tags="Melo, Thriller")
    other = sample_review("Other", tags="Melodrama")
    with app.app_context():
        ids = {t.name: t.id for t in db.session.scalars(sa.select(Tag))}
    page = client.get(f"/write/tags/{ids['Melo']}/merge")
    assert "Genre to keep" in page.text
    response = client.post(
        f"/write/tags/{ids['Melo']}/merge",
        data={"target": ids["Melodrama"]},
        follow_redirects=True,
    )
    assert "Merged “Melo” into “Melodrama” (2 reviews)." in response.text
    assert tags_of(app, both) == ["Fantasy", "Melodrama"]
    assert tags_of(app, only) == ["Melodrama", "Thriller"]
    assert tags_of(app, other) == ["Melodrama"]
    assert "Melo" not in [name for name, _ in all_tags(app)]
    # Into itself or into nothing: refused with a message.
    bad = client.post(f"/write/tags/{ids['Melodrama']}/merge", data={"target": ids["Melodrama"]})
    assert bad.status_code == 422
    bad = client.post(f"/write/tags/{ids['Melodrama']}/merge", data={"target": "abc"})
    assert bad.status_code == 422


def test_delete_asks_first_and_keeps_the_reviews(app, client, writer, sample_review):
    review_id = sample_review("Kept", status="published", tags="Gone, Stays")
    with app.app_context():
        gone = db.session.scalar(sa.select(Tag).where(Tag.name == "Gone")).id
    page = client.get(f"/write/tags/{gone}/delete")
    assert "Delete the genre “Gone”?" in page.text and "1 review" in page.text
    response = client.post(f"/write/tags/{gone}/delete", follow_redirects=True)
    assert "Deleted the genre “Gone”; its reviews are kept." in response.text
    assert tags_of(app, review_id) == ["Stays"]
    assert client.get("/reviews/kept").status_code == 200


def test_genre_changes_need_a_csrf_token(csrf_app, sample_review):
    from .conftest import WriterActions

    client = csrf_app.test_client()
    actions = WriterActions(csrf_app, client)
    actions.create()
    token = csrf_token_from(client.get("/login").text)
    client.post(
        "/login",
        data={"username": "writer", "password": "correct horse battery", "csrf_token": token},
    )
    with csrf_app.app_context():
        from journal.editing import new_review, save

        save(new_review(), {"title": "x", "tags": "Melo"})
        tag_id = db.session.scalar(sa.select(Tag.id))
    assert client.post(f"/write/tags/{tag_id}/delete").status_code == 400
    page = client.get(f"/write/tags/{tag_id}/delete")
    response = client.post(
        f"/write/tags/{tag_id}/delete", data={"csrf_token": csrf_token_from(page.text)}
    )
    assert response.status_code == 303


def test_manage_page_lists_every_genre_with_its_actions(client, writer, sample_review):
    sample_review("A", status="published", tags="Medical")
    sample_review("B", tags="Medical, Lonely")
    page = client.get("/write/tags/")
    assert page.status_code == 200
    for word in ("Rename", "Merge", "Delete", "Medical", "Lonely"):
        assert word in page.text
    assert '<td data-label="Reviews">2</td>\n      <td data-label="Published">1</td>' in page.text


def test_dashboard_filters_by_genre_and_status_combined(client, writer, sample_review):
    sample_review("Pub melo", status="published", tags="Melo")
    sample_review("Draft melo", tags="Melo")
    sample_review("Draft thriller", tags="Thriller")
    page = client.get("/write/?genre=melo").text
    assert "Pub melo" in page and "Draft melo" in page and "Draft thriller" not in page
    page = client.get("/write/?genre=melo&status=draft").text
    assert "Draft melo" in page and "Pub melo" not in page and "Draft thriller" not in page
    page = client.get("/write/?status=published").text
    assert "Pub melo" in page and "Draft melo" not in page and "Draft thriller" not in page
    page = client.get("/write/?status=nonsense&genre=unknown")
    assert page.status_code == 200
