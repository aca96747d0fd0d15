"""Markdown to safe HTML: the only place HTML is made from what people type.

markdown-it's "js-default" preset leaves raw HTML as text (the default preset passes it
through); nh3 then keeps only an allow-list of tags, attributes and URL schemes, so even a
bug in the parser cannot let a script through.
"""

import re
import unicodedata
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("js-default").enable("strikethrough")

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# Links in user text get no endorsement from the site and no handle on the opener.
LINK_REL = "nofollow ugc noopener noreferrer"

# C0 controls except tab and newline, DEL, and the bidi overrides that can disguise text.
_UNWANTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def _absolute_links_only(tag, attribute, value):
    # A relative href in someone's text would point into this site, which they cannot mean.
    if tag == "a" and attribute == "href" and not value.lower().startswith(
        ("http://", "https://", "mailto:")
    ):
        return None
    return value


# The HTML is a function of the text alone, and a page shows the same texts to every reader:
# an entry page with 30 comments spent most of its time parsing and sanitising them again.
@lru_cache(maxsize=4096)
def render_markdown(text):
    html = _markdown.render(text or "")
    return Markup(  # noqa: S704 - nh3 has just sanitised it  # nosec B704
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes=ALLOWED_SCHEMES,
            link_rel=LINK_REL,
            clean_content_tags={"script", "style"},
            attribute_filter=_absolute_links_only,
        )
    )


def count_links(text):
    """How many links the markdown makes (for the new-account link limit)."""
    tokens = _markdown.parse(text or "")
    return sum(
        1 for block in tokens for token in (block.children or []) if token.type == "link_open"
    )


def clean_text(value, multiline=False):
    """User text as stored: NFC, no control characters, CRLF as LF, trimmed."""
    if value is None:
        return ""
    value = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    value = _UNWANTED.sub("", value)
    if not multiline:
        value = " ".join(value.split())
    return value.strip()
