"""Reader pages show the HTML stored at save time: no render per request, never a stale one."""

from __future__ import annotations

import sqlalchemy as sa

from journal import markdown
from journal.archives import Source, SourceFile
from journal.exchange import export_review
from journal.extensions import db
from journal.importing import apply_import, plan_import
from journal.models import Character, Review, Revision


class RenderCounter:
    def __init__(self, monkeypatch):
        self.calls = 0
        real = markdown.render

        def counted(text):
            self.calls += 1
            return real(text)

        monkeypatch.setattr(markdown, "render", counted)


def stored(app, review_id):
    with app.app_context():
        review = db.session.get(Review, review_id)
        return review.body_html, review.body_html_version, review.slug


def test_the_public_page_and_feed_never_render_markdown(app, client, sample_review, monkeypatch):
    review_id = sample_review(body="The *lantern* scene.", status="published")
    with app.app_context():
        db.session.add(Character(review_id=review_id, name="Mira", notes="Keeps **secrets**."))
        db.session.commit()
    html, version, slug = stored(app, review_id)
    assert html == "<p>The <em>lantern</em> scene.</p>\n" and version == markdown.RENDER_VERSION
    counter = RenderCounter(monkeypatch)
    page = client.get(f"/reviews/{slug}").get_data(as_text=True)
    feed = client.get("/feed.atom").get_data(as_text=True)
    assert "<em>lantern</em>" in page and "<strong>secrets</strong>" in page
    assert "&lt;em&gt;lantern&lt;/em&gt;" in feed
    assert counter.calls == 0


def test_a_row_without_fresh_html_renders_once_then_is_stored(
    app, client, sample_review, monkeypatch
):
    """Migrated rows (NULL) and rows rendered under other rules (an old RENDER_VERSION)."""
    review_id = sample_review(body="Old *rules*.", status="published")
    _, _, slug = stored(app, review_id)
    with app.app_context():
        db.session.execute(sa.update(Review).values(body_html=None, body_html_version=None))
        db.session.commit()
    counter = RenderCounter(monkeypatch)
    assert "<em>rules</em>" in client.get(f"/reviews/{slug}").get_data(as_text=True)
    assert "<em>rules</em>" in client.get(f"/reviews/{slug}").get_data(as_text=True)
    assert counter.calls == 1
    monkeypatch.setattr(markdown, "RENDER_VERSION", markdown.RENDER_VERSION + 1)
    client.get(f"/reviews/{slug}")
    client.get(f"/reviews/{slug}")
    assert counter.calls == 2
    assert stored(app, review_id)[1] == markdown.RENDER_VERSION


def page(client, slug):
    return client.get(f"/reviews/{slug}").get_data(as_text=True)


def test_stored_html_follows_every_save_path(app, client, writer, sample_review):
    review_id = sample_review(body="First *draft*.", status="published")
    slug = stored(app, review_id)[2]
    assert "<em>draft</em>" in page(client, slug)

    # The editor's Save.
    with app.app_context():
        version = db.session.get(Review, review_id).version
    client.post(
        f"/write/{review_id}",
        data={
            "title": "A quiet drama",
            "body": "Second **take**.",
            "version": version,
            "action": "save",
        },
    )
    assert "<strong>take</strong>" in page(client, slug) and "<em>draft</em>" not in page(
        client, slug
    )

    # Restore the first revision.
    with app.app_context():
        first = db.session.scalar(
            sa.select(Revision).where(Revision.review_id == review_id).order_by(Revision.id)
        )
        first_id = first.id
    client.post(f"/write/{review_id}/history/{first_id}/restore", data={"confirmed": "yes"})
    assert "<em>draft</em>" in page(client, slug) and "take" not in page(client, slug)

    # An import that changes the body.
    with app.app_context():
        text = export_review(db.session.get(Review, review_id))
        source = Source(
            [SourceFile("r.md", text.replace("First *draft*.", "Imported _text_.").encode())], []
        )
        apply_import(plan_import(source))
    assert "<em>text</em>" in page(client, slug) and "<em>draft</em>" not in page(client, slug)

    # Characters: added, pasted, edited in place.
    client.post(f"/write/{review_id}/characters", data={"name": "Mira", "notes": "One *a*."})
    client.post(f"/write/{review_id}/characters/paste", data={"cast_list": "Jun (Kim) – Two *b*."})
    assert "<em>a</em>" in page(client, slug) and "<em>b</em>" in page(client, slug)
    with app.app_context():
        mira = db.session.scalar(sa.select(Character).where(Character.name == "Mira"))
        mira_id, mira_version = mira.id, mira.version
    client.post(
        f"/write/{review_id}/characters/{mira_id}",
        data={"name": "Mira", "notes": "Three *c*.", "version": mira_version},
    )
    assert "<em>c</em>" in page(client, slug) and "<em>a</em>" not in page(client, slug)

    with app.app_context():
        for row, text, html in [
            *((r, r.body, r.body_html) for r in db.session.scalars(sa.select(Review))),
            *((c, c.notes, c.notes_html) for c in db.session.scalars(sa.select(Character))),
        ]:
            assert html == str(markdown.render(text)), row


def test_autosave_of_a_draft_updates_its_stored_html(app, client, writer, sample_review):
    review_id = sample_review(body="Before.")
    slug = stored(app, review_id)[2]
    with app.app_context():
        version = db.session.get(Review, review_id).version
    response = client.post(
        "/write/autosave",
        data={
            "review_id": review_id,
            "editor": "tab-12345678",
            "title": "A quiet drama",
            "body": "After *autosave*.",
            "version": version,
        },
    )
    assert response.status_code == 200
    assert "<em>autosave</em>" in page(client, slug)
    assert stored(app, review_id)[0] == "<p>After <em>autosave</em>.</p>\n"
