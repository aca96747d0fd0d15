"""What a vote box and a row of a ranked list show, prepared in Python for the templates.

A list page shows 30 rows, each with a vote box, tags, two counts and their plurals. Jinja
spends some 10 µs on every function a template calls (context lookup, the i18n extension's
wrappers, escaping), and such a page made about 600 of those calls: most of its time.
Prepared here, the templates only print attributes.

Most readers cannot vote on a row (visitors, and anyone on their own entry), and for them a
row's HTML depends only on the row's values, the language and where the site is mounted. That
HTML is kept (a bounded LRU per process), so the top of a list, which everyone reads, is made
once per change instead of once per visit. A vote, a comment or an edit changes the row's
values and with them the key: nothing stale is ever shown.
"""

from dataclasses import dataclass
from functools import lru_cache

from flask import current_app, request
from flask_babel import get_locale
from flask_login import current_user

from lbs.domain import voting
from lbs.domain.links import url_domain
from lbs.domain.permissions import can
from lbs.i18n import page_translations
from lbs.templating import entry_path, number, tag_path, vote_path

SHOWN_ROWS_KEPT = 4096  # some 3 MB of HTML per process


@dataclass(slots=True)
class VoteBox:
    """The score of an entry, proposal or comment, and the reader's vote buttons if any."""

    path: str
    net: str
    tally: str  # "3 up, 1 down"
    points: str  # "points", read out after the number
    my_vote: int
    can_vote: bool
    up_title: str = ""
    up_label: str = ""
    down_title: str = ""
    down_label: str = ""


def vote_box(target_type, target, my_vote=0, translations=None, reader=None):
    t = translations or page_translations()
    net = target.ups - target.downs
    box = VoteBox(
        path=vote_path(target_type, target.id),
        net=number(net),
        tally=t.ugettext("%(ups)s up, %(downs)s down")
        % {"ups": number(target.ups), "downs": number(target.downs)},
        points=t.ungettext("point", "points", abs(net)),
        my_vote=my_vote,
        can_vote=can(reader or current_user, "vote", target),
    )
    if box.can_vote:
        if my_vote == 1:
            box.up_title, box.up_label = (
                t.ugettext("Withdraw your up-vote"), t.ugettext("Withdraw up-vote"))
        else:
            box.up_title = box.up_label = t.ugettext("Up-vote")
        if my_vote == -1:
            box.down_title, box.down_label = (
                t.ugettext("Withdraw your down-vote"), t.ugettext("Withdraw down-vote"))
        else:
            box.down_title = box.down_label = t.ugettext("Down-vote")
    return box


@dataclass(slots=True)
class EntryRow:
    """What templates/_macros/entries.html's entry_row prints for one entry."""

    entry: object
    path: str
    domain: str
    tags: list  # [(name, path)]
    contributors: str
    comments: str
    votes: VoteBox


@dataclass(slots=True)
class ShownRow:
    rank: int
    html: str


def _entry_row(entry, my_vote, translations, reader):
    t = translations
    return EntryRow(
        entry=entry,
        path=entry_path(entry.slug),
        domain=url_domain(entry.url) if entry.url else "",
        tags=[(name, tag_path(name)) for name in entry.tags_text.split()],
        contributors=t.ungettext(
            "%(num)s contributor", "%(num)s contributors", entry.contributor_count
        ) % {"num": number(entry.contributor_count)},
        comments=t.ungettext("%(num)s comment", "%(num)s comments", entry.comment_count)
        % {"num": number(entry.comment_count)},
        votes=vote_box("entry", entry, my_vote, t, reader),
    )


def _render(row, show_kind, show_counts):
    macros = current_app.jinja_env.get_template("_macros/entries.html").module
    return macros.entry_row(row, show_kind, show_counts)


@lru_cache(maxsize=SHOWN_ROWS_KEPT)
def _row_for_onlookers(values, language, script_root, show_kind, show_counts):
    # `values` is the result row itself (lbs.domain.browsing.row_entries): every column the
    # row shows is part of the key. `language` and `script_root` are the current request's,
    # and only key the cache: the rendering reads them from the request.
    return _render(_entry_row(values, 0, page_translations(), None), show_kind, show_counts)


def entry_rows(entries, my_votes, first_rank=1, show_kind=False, show_counts=True):
    """One ShownRow per entry (a result row of browsing.row_entries), ranked from
    first_rank; my_votes is {entry id: value}."""
    reader = current_user._get_current_object()  # once, not through the proxy for each row
    language, script_root = str(get_locale()), request.script_root
    translations = None
    rows = []
    for offset, entry in enumerate(entries):
        if can(reader, "vote", entry):
            translations = translations or page_translations()
            row = _entry_row(entry, my_votes.get(entry.id, 0), translations, reader)
            html = _render(row, show_kind, show_counts)
        else:
            html = _row_for_onlookers(entry, language, script_root, show_kind, show_counts)
        rows.append(ShownRow(first_rank + offset, html))
    return rows


def listing_rows(listing, show_kind=False, show_counts=True):
    """The rows of a Listing (lbs.domain.browsing), with the reader's own votes on them."""
    my_votes = voting.votes_by(current_user, "entry", [e.id for e in listing.rows])
    return entry_rows(listing.rows, my_votes, listing.first_rank, show_kind, show_counts)
