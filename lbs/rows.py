"""What a vote box and a row of a ranked list show, prepared in Python for the templates.

A list page shows 30 rows, each with a vote box, tags, two counts and their plurals. Jinja
spends some 10 µs on every function a template calls (context lookup, the i18n extension's
wrappers, escaping), and such a page made about 600 of those calls: most of its time.
Prepared here, in one pass over the rows, the templates only print attributes.
"""

from dataclasses import dataclass

from flask_login import current_user

from lbs.domain import voting
from lbs.domain.links import url_domain
from lbs.domain.permissions import can
from lbs.i18n import page_translations
from lbs.templating import entry_path, number, tag_path, vote_path


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
    entry: object
    rank: int
    path: str
    domain: str
    tags: list  # [(name, path)]
    contributors: str
    comments: str
    votes: VoteBox


def entry_rows(entries, my_votes, first_rank=1):
    """One EntryRow per entry, ranked from first_rank; my_votes is {entry id: value}."""
    t = page_translations()
    reader = current_user._get_current_object()  # once, not through the proxy for each row
    tag_paths = {}  # the common tags recur on a page
    rows = []
    for offset, entry in enumerate(entries):
        rows.append(EntryRow(
            entry=entry,
            rank=first_rank + offset,
            path=entry_path(entry.slug),
            domain=url_domain(entry.url) if entry.url else "",
            tags=[
                (name, tag_paths.get(name) or tag_paths.setdefault(name, tag_path(name)))
                for name in entry.tags_text.split()
            ],
            contributors=t.ungettext(
                "%(num)s contributor", "%(num)s contributors", entry.contributor_count
            ) % {"num": number(entry.contributor_count)},
            comments=t.ungettext("%(num)s comment", "%(num)s comments", entry.comment_count)
            % {"num": number(entry.comment_count)},
            votes=vote_box("entry", entry, my_votes.get(entry.id, 0), t, reader),
        ))
    return rows


def listing_rows(listing):
    """The rows of a Listing (lbs.domain.browsing), with the reader's own votes on them."""
    my_votes = voting.votes_by(current_user, "entry", [e.id for e in listing.rows])
    return entry_rows(listing.rows, my_votes, listing.first_rank)
