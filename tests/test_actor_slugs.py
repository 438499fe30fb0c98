"""An actor is their folded name: one slug whatever the case, spaces or hyphens, kept by the
database so an actor's page is an indexed lookup."""

from __future__ import annotations

import sqlalchemy as sa

from journal.actors import actor_slug
from journal.characters import add_character, update_character
from journal.extensions import db
from journal.models import Character, Review


def test_spellings_of_one_name_fold_to_one_slug():
    assert actor_slug("Ju Ji Hoon") == actor_slug(" ju ji hoon ") == actor_slug("JU JI-HOON")
    assert actor_slug("주지훈") == "주지훈"
    assert actor_slug(None) is None and actor_slug("") is None and actor_slug("!!!") is None


def test_the_slug_follows_the_actor_through_every_edit(app, sample_review):
    review_id = sample_review("Hospital nights", status="published")
    with app.app_context():
        review = db.session.get(Review, review_id)
        character = add_character(review, {"name": "Baek Kang Hyuk", "actor": "Ju Ji Hoon"})
        assert character.actor_slug == "ju-ji-hoon"
        update_character(
            character, {"name": "Baek Kang Hyuk", "actor": "JU JI-HOON"}, character.version
        )
        db.session.commit()
        stored = db.session.execute(sa.select(Character.actor_slug)).scalar_one()
        assert stored == "ju-ji-hoon"
        character = db.session.get(Character, character.id)
        update_character(character, {"name": "Baek Kang Hyuk", "actor": ""}, character.version)
        db.session.commit()
        assert db.session.execute(sa.select(Character.actor_slug)).scalar_one() is None
