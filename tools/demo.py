"""Demo content for the gallery and the page checks: our own invented reviews, nobody's real text.

Hangul and long titles, a review with six characters whose notes run long, a draft, a few genres,
and a history of saves so History and its diff have something to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from journal.characters import add_character
from journal.editing import new_review, save
from journal.episodes import add_item
from journal.models import PUBLISHED, EpisodeNote, Viewing

GARDEN_BODY = """\
A botanist who hears the dead sounds like the premise of a ghost story, and for two episodes \
*Garden at Night* lets you believe that is what it is. Then the show turns its lamp towards the \
living: the widowed florist who keeps paying for a greenhouse nobody enters, the detective who \
waters a cactus on her desk every morning as if it could testify.

## The slow bloom

Nothing in the first half hurries. Scenes end a beat later than you expect, and the camera stays \
on hands: hands in soil, hands on a steering wheel, hands that almost touch on a night bus. It is \
a patient show, and it trusts its audience to be patient too.

> "Roots remember what leaves forget." The line comes back in episode nine, and it lands.

### What works

- The score, mostly cello and rain, never tells you what to feel.
- The night-market episode, shot in one long walk through the stalls.
- Two leads who argue like people, not like a script that needs a fight before the ad break.

### What does not

The middle stretch loses a thread about a property developer that feels borrowed from another \
drama. Episodes eleven and twelve could be one.

## Verdict

A quiet, luminous mystery that rewards the viewer who stays up with it. Bring tea.
"""

LANTERNS_BODY = """\
A film that walks along the river for two hours and somehow never repeats a view. Two strangers \
miss the last ferry and spend the night looking for a lantern seller who may not exist.

## Why it stays with you

The dialogue is small talk until it suddenly is not. By the time the sky turns grey, you know \
both of them better than some friends.
"""

LONG_BODY = """\
Some weekends you mean to watch one episode. This was not one of those weekends, and this review \
is the evidence: a whole season of a cooking competition where the judges cry more than the \
contestants.

## Episode by episode

The first three are the best television about bread I have seen. After that it becomes a show \
about friendship, which is fine, but I came for the bread.
"""

DRAFT_BODY = """\
Notes so far: the opening is gorgeous, the second episode drags. Need to rewatch the rooftop \
scene before deciding what I think of the ending.
"""

CAST = [
    {
        "name": "Han Seo-yeon",
        "actor": "Park Min-ji",
        "nickname": "The Botanist",
        "notes": "Speaks to the plants in her greenhouse every night and, she insists, to the "
        "people who planted them. Quiet, stubborn and funny in a dry way that sneaks up on you; "
        "the show is at its best when she is allowed to be wrong about something and admit it.",
    },
    {
        "name": "Detective Yoon Ji-ho",
        "actor": "Lee Do-hyun",
        "nickname": "Cactus",
        "notes": "Keeps a cactus on his desk and waters it far too often. A careful, tired man "
        "whose cases all seem to lead back to the same flower shop; his scenes with the florist "
        "carry the second half of the series.",
    },
    {
        "name": "Choi Mi-rae",
        "actor": "Kim Soo-ah",
        "nickname": None,
        "notes": "The widowed florist. Pays for a greenhouse she never enters and refuses to say "
        "why. Her monologue in episode nine, delivered almost entirely to a pot of basil, is the "
        "finest acting in the drama.",
    },
    {
        "name": "Grandmother Bae",
        "actor": "Jung Hye-sook",
        "nickname": "Halmeoni",
        "notes": "Runs the night market stall next to the bus stop, knows everyone's secrets and "
        "sells them back as advice with a bowl of soup. Every episode needs ten more minutes of "
        "her, and the finale finally gives them.",
    },
    {
        "name": "Oh Tae-min",
        "actor": "Seo Jun-ho",
        "nickname": None,
        "notes": "The property developer from the borrowed subplot. The actor does what he can "
        "with a part that mostly asks him to stand on rooftops looking at blueprints in the wind.",
    },
    {
        "name": "Yoon Da-eun",
        "actor": "Choi Yu-na",
        "nickname": "Little Yoon",
        "notes": "The detective's teenage niece, who solves half of the cases by reading the "
        "group chats nobody else understands. Funny, sharp and never once the plot device she "
        "could have been.",
    },
]

CAST_LIST_PASTE = """\
- Kang Min-seok (Jang Woo-jin): the night-bus driver who sees everything
- Ahn So-ra aka Dr. Ahn (Lim Ha-eun): the coroner with a weakness for orchids
## Supporting
This heading and this line are not characters.
"""

IMPORT_MARKDOWN = """\
---
title: "바람의 노래 (Song of the Wind)"
slug: song-of-the-wind
draft: false
tags: [K-drama, Romance]
description: "Light as a kite, and just as easy to lose an afternoon to."
work_title: "Song of the Wind"
original_title: "바람의 노래"
media_type: drama
year: 2024
rating: 7
rating_scale: 10
---
A kite maker and a weather forecaster argue about the wind for twelve episodes.
"""


@dataclass
class Demo:
    """What the seeded journal holds, for the pages that need an id or a slug."""

    garden_id: int
    garden_slug: str
    draft_id: int
    draft_slug: str
    genre_slug: str
    search_hit: str = "greenhouse"
    search_miss: str = "submarine"


EPISODE_NOTES = [
    {"episode": 1, "title": "The greenhouse at midnight", "rating": Decimal("8"),
     "notes": "Han Seo-yeon talks to the first ghost over a tray of seedlings; the score "
     "carries the whole scene."},
    {"episode": 9, "title": "Roots remember", "rating": Decimal("9.5"),
     "notes": "The bus-stop conversation. Not a word wasted, and the cactus finally flowers."},
]  # fmt: skip
VIEWINGS = [
    {"watched_on": date(2025, 3, 2), "rewatch": False, "note": "Episodes 1–4 in one night",
     "rating": Decimal("8")},
    {"watched_on": date(2025, 11, 20), "rewatch": True, "note": "With my sister, who cried "
     "twice", "rating": Decimal("9")},
]  # fmt: skip


def seed() -> Demo:
    """Fill an empty journal (inside an app context) with the demo content."""
    garden_fields = {
        "title": "밤의 정원 (Garden at Night): a slow, luminous mystery about a botanist "
        "who talks to the dead",
        "work_title": "Garden at Night",
        "original_title": "밤의 정원",
        "media_type": "drama",
        "year": 2025,
        "where_to_watch": "Netflix",
        "episodes": 16,
        "runtime_minutes": 64,
        "rating": Decimal("8.5"),
        "verdict": "A quiet, luminous mystery that rewards patience.",
        "tags": "K-drama, Mystery, Melodrama",
        "story_score": Decimal("9"),
        "acting_score": Decimal("9.5"),
        "music_score": Decimal("8"),
        "rewatch_score": Decimal("7"),
        "watch_status": "Completed",
        "episodes_seen": 12,
        "network": "JTBC",
        "country": "South Korea",
        "director": "Han Ji-won",
        "screenwriter": "Park Eun-sol",
    }
    first_cut = GARDEN_BODY.replace("luminous", "gentle").replace("Bring tea.", "Bring a blanket.")
    garden = save(new_review(), {**garden_fields, "body": first_cut}, PUBLISHED)
    garden = save(garden, {**garden_fields, "body": GARDEN_BODY, "episodes_seen": 16})
    for character in CAST:
        add_character(garden, character)
    for note in EPISODE_NOTES:
        add_item(garden, EpisodeNote, note)
    for viewing in VIEWINGS:
        add_item(garden, Viewing, viewing)
    save(
        new_review(),
        {
            "title": "Lanterns Over the Han River",
            "work_title": "Lanterns Over the Han River",
            "media_type": "film",
            "year": 2023,
            "where_to_watch": "Cinema",
            "runtime_minutes": 118,
            "rating": Decimal("9"),
            "verdict": "Two strangers, one night, no wasted minute.",
            "tags": "Film, Romance",
            "body": LANTERNS_BODY,
        },
        PUBLISHED,
    )
    save(
        new_review(),
        {
            "title": "The Extraordinarily Long Title of a Weekend Binge That Kept Going "
            "Well Past Midnight Without Any Sign of Stopping",
            "work_title": "Crumbs: The Great Bakery Challenge",
            "media_type": "show",
            "year": 2024,
            "episodes": 10,
            "rating": Decimal("6.5"),
            "verdict": "Came for the bread, stayed for the friendships.",
            "tags": "Reality, Cooking",
            "body": LONG_BODY,
        },
        PUBLISHED,
    )
    draft = save(
        new_review(),
        {
            "title": "빛나는 계절 (The Shining Season)",
            "work_title": "The Shining Season",
            "original_title": "빛나는 계절",
            "media_type": "drama",
            "tags": "K-drama, Romance",
            "body": DRAFT_BODY,
        },
    )
    return Demo(
        garden_id=garden.id,
        garden_slug=garden.slug,
        draft_id=draft.id,
        draft_slug=draft.slug,
        genre_slug="k-drama",
    )
