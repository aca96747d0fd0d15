"""What people type is shown as formatted text, never as markup of their own making."""

from html.parser import HTMLParser

import pytest

from lbs.domain.text import LINK_REL, clean_text, count_links, render_markdown


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html):
    parser = _Elements()
    parser.feed(str(html))
    parser.close()
    return parser.elements


def links(html):
    return [attrs for tag, attrs in elements(html) if tag == "a"]


def test_markdown_emphasis_lists_and_code_are_formatted():
    html = render_markdown("*a* **b** `c`\n\n- one\n- two")

    assert [tag for tag, _ in elements(html)] == ["p", "em", "strong", "code", "ul", "li", "li"]


@pytest.mark.parametrize(
    "typed",
    ["<script>alert(1)</script>", "<b>bold</b>", "<img src=x onerror=alert(1)>",
     "<a href=\"https://example.org\" onclick=\"alert(1)\">x</a>", "<iframe src=https://e.org>"],
)
def test_raw_html_is_shown_as_text(typed):
    html = render_markdown(typed)

    assert elements(html) == [("p", {})]
    assert "&lt;" in html


def test_a_link_carries_rel_nofollow_ugc_noopener_noreferrer():
    (link,) = links(render_markdown("[the map](https://www.openstreetmap.org)"))

    assert link["href"] == "https://www.openstreetmap.org"
    assert link["rel"] == LINK_REL == "nofollow ugc noopener noreferrer"


@pytest.mark.parametrize("href", ["https://example.org/a", "http://example.org", "mailto:ada@example.org"])
def test_http_https_and_mailto_links_survive(href):
    (link,) = links(render_markdown(f"[x]({href})"))

    assert link["href"] == href


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "jav&#x09;ascript:alert(1)", "jav%09ascript:alert(1)",
     "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)",
     "file:///etc/passwd", "/moderation", "//evil.example/", "ftp://example.org"],
)
def test_any_other_link_target_is_dropped(href):
    html = render_markdown(f"[click]({href})")

    assert all("href" not in link for link in links(html))
    assert "click" in html


def test_a_reference_style_link_to_javascript_is_dropped_too():
    html = render_markdown("[click][x]\n\n[x]: javascript:alert(1)")

    assert all("href" not in link for link in links(html))


def test_images_are_not_shown():
    html = render_markdown("![tracker](https://evil.example/pixel.png)")

    assert all(tag != "img" for tag, _ in elements(html))


def test_nothing_typed_renders_as_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_links_are_counted_for_the_new_account_limit():
    assert count_links("[a](https://a.org) text [b](https://b.org)\n\n* [c](https://c.org)") == 3
    assert count_links("no links, just https://a.org as text") == 0


def test_stored_text_loses_control_characters_and_bidi_overrides():
    assert clean_text("a\x00b\u202ec\x07") == "abc"


def test_one_line_text_has_its_whitespace_collapsed():
    assert clean_text("  Open \n  Street\tMap  ") == "Open Street Map"


def test_multiline_text_keeps_its_lines_with_unix_line_ends():
    assert clean_text("one\r\ntwo\rthree\n", multiline=True) == "one\ntwo\nthree"


def test_a_text_is_rendered_once_however_often_it_is_shown():
    # Pages show the same comments and summaries to every reader: the HTML is kept.
    render_markdown.cache_clear()
    first = render_markdown("Shown *often*.")
    again = [render_markdown("Shown *often*.") for _ in range(3)]

    assert all(html == first for html in again)
    assert render_markdown.cache_info().misses == 1
    assert render_markdown.cache_info().hits == 3
