"""Markdown is CommonMark with tables, strikethrough and spoilers; the HTML is always bleached."""

from html.parser import HTMLParser

import pytest

from journal.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render


def test_commonmark_with_tables_and_strikethrough():
    html = render("# Title\n\n*em* **strong** ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert "<h1>Title</h1>" in html
    assert "<em>em</em>" in html and "<strong>strong</strong>" in html and "<s>gone</s>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_typed_html_shows_as_text_and_is_never_dropped():
    html = render("I love <b>bold</b> and <script>alert(1)</script> tags")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def test_spoiler_block_becomes_a_closed_details():
    html = render("Before\n\n::: spoiler\nThe surgeon **lives**.\n:::\n\nAfter")
    assert "<details>\n<summary>Spoiler</summary>" in html
    assert "<details open" not in html
    assert "<strong>lives</strong>" in html.split("<details>")[1]


def test_links_get_nofollow_noopener():
    html = render("[site](https://example.org/page)")
    assert 'href="https://example.org/page"' in html
    assert 'rel="nofollow noopener"' in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "[x](jav&#x09;ascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![i](javascript:alert(1))",
        "[x](vbscript:msgbox(1))",
    ],
)
def test_dangerous_link_protocols_never_become_links(source):
    html = render(source)
    assert "javascript:" not in html.lower().replace("&amp;", "&") or "href" not in html
    assert 'href="javascript' not in html.lower()
    assert 'href="data' not in html.lower() and 'src="javascript' not in html.lower()
    assert "vbscript:" not in html.lower() or "href" not in html


@pytest.mark.parametrize(
    "source",
    [
        '<div id="preview" hx-get="/x">hijack</div>',
        '<span class="x" style="color:red" data-x="1">styled</span>',
        "<svg><script>alert(1)</script></svg>",
        "<math><mi>x</mi></math>",
        "<noscript><p>hi</p></noscript>",
        "<!-- a comment -->",
    ],
)
def test_no_dangerous_attributes_or_tags_survive(source):
    for html in (render(source), render_html_through_the_cleaner(source)):
        for tag, attrs in tags_in(html):
            assert tag in ALLOWED_TAGS
            assert {name for name, _ in attrs} <= set(ALLOWED_ATTRIBUTES.get(tag, []))
        assert "<!--" not in html


def render_html_through_the_cleaner(source):
    """Markdown never emits raw HTML (html=False); bleach must still hold if it ever did."""
    from journal.markdown import clean

    return clean(source)


def tags_in(html):
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_empty_and_none_render_to_nothing():
    assert render("") == "" and render(None) == ""
