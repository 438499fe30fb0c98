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
    from journal.markdown import _cleaner

    return _cleaner.clean(source)


def tags_in(html):
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_empty_and_none_render_to_nothing():
    assert render("") == "" and render(None) == ""


# ---- CommonMark 0.31.2: the examples bleach's second pass broke, and each deliberate difference


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("\\&ouml; not an entity", "<p>&amp;ouml; not an entity</p>\n"),  # example 14
        ("&amp;ouml;", "<p>&amp;ouml;</p>\n"),  # like example 28: an escaped entity is text
        ("`&amp;`", "<p><code>&amp;amp;</code></p>\n"),
        ("&copy; &#35; &lt;b&gt;", "<p>© # &lt;b&gt;</p>\n"),  # real entities still read
    ],
)
def test_escaped_entities_stay_text(source, expected):
    assert render(source) == expected


def test_file_names_stay_text_and_a_url_in_parentheses_keeps_its_bracket():
    html = render("See README.md and config.py (https://example.org/a) today.")
    assert html == (
        '<p>See README.md and config.py (<a href="https://example.org/a" '
        'rel="nofollow noopener">https://example.org/a</a>) today.</p>\n'
    )


def test_link_queries_keep_their_ampersands():
    html = render("<https://x.org/?a=1&b=2> and [t](https://x.org/?c=1&amp;d=2)")
    assert 'href="https://x.org/?a=1&amp;b=2"' in html
    assert 'href="https://x.org/?c=1&amp;d=2"' in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # Bare URLs with a scheme or `www.` are links (GFM's autolink extension, not CommonMark).
        (
            "Watch https://example.org/trailer.",
            '<p>Watch <a href="https://example.org/trailer" rel="nofollow noopener">'
            "https://example.org/trailer</a>.</p>\n",
        ),
        (
            "www.example.org",
            '<p><a href="http://www.example.org" rel="nofollow noopener">www.example.org</a></p>\n',
        ),
        ("example.org and a@b.org", "<p>example.org and a@b.org</p>\n"),
        ("`https://in.code`", "<p><code>https://in.code</code></p>\n"),
        # Raw HTML is text (html off): CommonMark would pass it through.
        ("<b>bold</b>", "<p>&lt;b&gt;bold&lt;/b&gt;</p>\n"),
        ("<!-- note -->", "<p>&lt;!-- note --&gt;</p>\n"),
        # Every link gets rel; schemes outside http, https, mailto lose their href.
        ("[a](/local)", '<p><a href="/local" rel="nofollow noopener">a</a></p>\n'),
        ("<ftp://x.org/f>", '<p><a rel="nofollow noopener">ftp://x.org/f</a></p>\n'),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
        # Void elements are written as HTML, not XHTML.
        ("a  \nb", "<p>a<br>\nb</p>\n"),
        ("![i](/a.png)", '<p><img src="/a.png" alt="i"></p>\n'),
        # Extensions: tables, strikethrough and spoilers.
        ("~~gone~~", "<p><s>gone</s></p>\n"),
    ],
)
def test_each_deliberate_difference_from_commonmark(source, expected):
    assert render(source) == expected
