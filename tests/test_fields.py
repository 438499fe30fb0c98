"""One table of fields: the same limits and the same emptiness in the editor, import and export."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from journal import covers, exchange, fields, importing
from journal.archives import Source, SourceFile
from journal.extensions import db
from journal.models import Character, Review

HX = {"HX-Request": "true"}


def import_file(app, text: str) -> importing.ImportPlan:
    with app.app_context():
        plan = importing.plan_import(Source([SourceFile("reviews/cast.md", text.encode())], []))
        assert plan.ok, plan.errors
        importing.apply_import(plan)
        return plan


def file_with_character(notes: str) -> str:
    quoted = notes.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return (
        "---\ntitle: Cast notes\nslug: cast-notes\ndate: 2025-02-07\ndraft: false\n"
        "work_title: Cast notes\n"
        "characters:\n"
        f'  - {{name: Baek Gang Hyeok, actor: Ju Ji Hoon, nickname: null, notes: "{quoted}"}}\n'
        "---\nThe body.\n"
    )


def the_character(app) -> Character:
    with app.app_context():
        character = db.session.scalar(sa.select(Character))
        db.session.expunge(character)
        return character


def test_a_long_note_that_imports_can_be_saved_again_from_the_editor(app, client, writer):
    notes = "He never stops. " * 375  # 6,000 characters: more than the editor once allowed
    import_file(app, file_with_character(notes))
    character = the_character(app)
    assert character.notes == notes  # Markdown text is kept as written
    response = client.post(
        f"/write/{character.review_id}/characters/{character.id}",
        data={
            "name": character.name,
            "actor": character.actor,
            "notes": character.notes,
            "version": character.version,
        },  # fmt: skip
        headers=HX,
    )
    assert response.status_code == 200, response.text
    assert "He never stops." in response.text


def test_the_notes_limit_is_one_number_for_the_editor_and_import(app, client, writer):
    limit = fields.CHARACTER["notes"].max_length
    plan_over = None
    with app.app_context():
        text = file_with_character("n" * (limit + 1))
        plan_over = importing.plan_import(Source([SourceFile("a.md", text.encode())], []))
    assert plan_over.errors and f"{limit:,}" in plan_over.errors[0][1]
    import_file(app, file_with_character("n" * limit))
    character = the_character(app)
    response = client.post(
        f"/write/{character.review_id}/characters/{character.id}",
        data={"name": "Baek", "notes": "n" * (limit + 1), "version": character.version},
        headers=HX,
    )
    assert response.status_code == 422
    assert f"Notes are limited to {limit:,} characters." in response.text


@pytest.mark.parametrize("blank", ["", "   ", "\r", "\r\n\t\n", "\n \n"])
def test_blank_notes_are_no_notes_everywhere(app, client, writer, sample_review, blank):
    review_id = sample_review()
    response = client.post(
        f"/write/{review_id}/characters", data={"name": "Kim", "notes": blank}, headers=HX
    )
    assert response.status_code == 200
    with app.app_context():
        character = db.session.scalar(sa.select(Character))
        assert character.notes == ""  # stored as no notes, whoever wrote it
        exported = exchange.export_review(db.session.get(Review, review_id))
    assert "{name: Kim, actor: null, nickname: null, notes: null}" in exported


def test_imported_blank_notes_are_stored_as_none_given(app):
    import_file(app, file_with_character(" \r\n "))
    assert the_character(app).notes == ""


def test_every_field_of_the_table_has_its_control_in_the_editor(client, writer):
    page = client.get("/write/new").text
    for spec in fields.REVIEW_FIELDS:
        assert f'name="{spec.name}"' in page, spec.name
        assert f"{spec.label}</label>" in page, spec.label


def test_every_front_matter_field_is_exported_under_its_key_in_the_tables_order(app, sample_review):
    samples = {fields.LINE: "Text", fields.INTEGER: 1, fields.RATING: 8, fields.BOOLEAN: True}
    values = {
        f.name: f.choices[0] if f.kind == fields.CHOICE else samples[f.kind]
        for f in fields.FRONT_MATTER_FIELDS
        if f.name not in fields.COVER  # the cover comes through its own form, below
    }
    review_id = sample_review(**values)
    with app.app_context():
        review = db.session.get(Review, review_id)
        image = io.BytesIO()
        Image.new("RGB", (8, 8)).save(image, "PNG")
        root = covers.covers_root(app.instance_path)
        covers.set_cover(review, root, covers.process(image.getvalue()), "A square")
        text = exchange.export_review(db.session.get(Review, review_id))
    keys = [line.split(":")[0] for line in text.split("\n---\n")[0].splitlines()]
    wanted = list(dict.fromkeys(f.group or f.key for f in fields.FRONT_MATTER_FIELDS))
    assert [k for k in keys if k in wanted] == wanted
