"""Feeds as Atom XML (RFC 4287), written by feedgen: the only place this area makes XML."""

from datetime import UTC

from feedgen.feed import FeedGenerator
from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from lbs.models import Entry, utcnow

ATOM_TYPE = "application/atom+xml; charset=utf-8"


def _aware(moment):
    # Stored times are naive UTC; Atom needs an offset.
    return moment.replace(tzinfo=UTC)


def _page_of(target):
    if isinstance(target, Entry):
        return url_for("commons.entry", slug=target.slug, _external=True)
    return url_for("proposals.show", proposal_id=target.id, _external=True)


def _profile(username):
    return url_for("users.profile", username=username, _external=True)


def atom_xml(feed, page_url):
    """The feed as Atom bytes. `page_url` is the HTML page that shows the same list."""
    generator = FeedGenerator()
    # The feed's own address identifies it: it never changes while the feed exists.
    generator.id(request.base_url)
    generator.title(feed.title)
    generator.subtitle(feed.subtitle)
    generator.link(href=request.base_url, rel="self", type="application/atom+xml")
    generator.link(href=page_url, rel="alternate", type="text/html")
    # A feed-level author makes every entry valid Atom even in the rare case it has none.
    generator.author(
        name=_("Learning by Sharing community"), uri=url_for("commons.home", _external=True)
    )
    generator.rights(
        f"{current_app.config['LICENCE_NAME']} {current_app.config['LICENCE_URL']}"
    )
    generator.language(str(get_locale() or "en"))
    # An empty feed has no newest item; it was last updated now, as far as a reader can tell.
    generator.updated(_aware(feed.updated or utcnow()))
    for item in feed.items:
        entry = generator.add_entry(order="append")
        link = _page_of(item.target)
        entry.id(link)
        entry.title(item.title)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.published(_aware(item.published))
        entry.updated(_aware(item.updated))
        for username in item.authors:
            entry.author(name=username, uri=_profile(username))
        entry.summary(str(item.summary_html), type="html")
        for name in item.categories:
            entry.category(term=name, label=name)
    return generator.atom_str(pretty=True)
