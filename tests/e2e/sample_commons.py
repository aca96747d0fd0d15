"""A lived-in commons for the page-wide browser checks, built only through the domain.

Every list holds a full page (30 rows) and then some, so the checks see pages as heavy and
as wide as real ones get: long titles, a long web address, an unbroken word, threaded
comments, flags, merge suggestions and an edit with a diff.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from lbs.domain import accounts, contributions, discussion, moderation, voting
from lbs.domain.starter import load_starter
from lbs.extensions import db
from lbs.models import Entry, utcnow
from tests.conftest import PASSWORD

PAGE_ROWS = 30
SEARCH_WORDS = "peer learning"
LONG_URL = (
    "https://archive.example.org/collections/community-water-projects/"
    "biogas-digester-builders-handbook-second-edition-with-appendices-2019.pdf"
)
LONG_WORD = "Rainwaterharvestingcooperativemaintenanceschedulesforeverycommunity"

EXTRA_HUBS = [
    ("Biogas Digester Builders' Network", "peer-driven production"),
    ("Community Water Commons", "commons-based initiative"),
    ("Open Seed Exchange", "commons-based initiative"),
    ("Village Radio Makers", "peer-driven production"),
    ("Solar Repair Cafés", "production"),
    ("Shared Textbook Translators", "peer-driven production"),
    ("Neighbourhood Mesh Networks", "peer-driven production"),
    ("Farmers' Field Schools Online", "commons-based initiative"),
]
EXTRA_READINGS = [
    "Learning together in repair cafés",
    "Mesh networks as commons",
    "How farmers teach farmers",
    "Translating textbooks with volunteers",
    "A field guide to community radio",
    "Peer assessment that people trust",
    "Open hardware in rural clinics",
    "Seed libraries and their keepers",
    "The economics of shared tools",
    "Study circles, then and now",
    "Moderating a knowledge commons",
    "Citizen science for water quality",
    "Teaching with open maps",
    "What volunteers need to stay",
    "Mentoring without a school",
    "Open textbooks in small languages",
    "Learning circles in public libraries",
    "Teaching repair to teenagers",
    "Wikis in the classroom",
    "How makerspaces share their tools",
]


@dataclass
class SampleCommons:
    moderator: str = "mia"
    peer: str = "ann"
    paths: dict = field(default_factory=dict)


def _user(username, role="peer", days_old=90, karma=20):
    user = accounts.sign_up(username, f"{username}@example.org", PASSWORD, role)
    user.created_at = utcnow() - timedelta(days=days_old)
    user.karma = karma
    return user


def _merged(moderator, author, kind, data):
    proposal = contributions.propose_entry(author, kind, data, rationale="Worth a place.")
    return moderation.merge_proposal(moderator, proposal, "Supported by the community.")


def build(app):
    """Fill the empty database; returns where the interesting pages are."""
    with app.app_context():
        mia = _user("mia", role="moderator", karma=80)
        ann = _user("ann")
        bob = _user("bob")
        cyd = _user("cyd", days_old=2, karma=0)
        dee = _user("dee")
        eli = _user("eli")
        load_starter()

        for number, (title, focus) in enumerate(EXTRA_HUBS):
            _merged(mia, ann if number % 2 else bob, "hub", {
                "title": title, "url": f"https://hub{number}.example.org/",
                "focus": focus, "languages": "English, Kiswahili, Français",
                "region": "worldwide", "licence": "CC BY-SA 4.0",
                "summary": f"A network for {SEARCH_WORDS} in practice: *{title}* shares "
                           "plans, tools and lessons.",
                "tags": ["peer-learning", "open-hardware", "community"],
            })
        for number, title in enumerate(EXTRA_READINGS):
            _merged(mia, bob if number % 2 else ann, "reading", {
                "title": title, "url": f"https://readings.example.org/{number}",
                "authors": "A. Author, B. Writer", "year": 2000 + number,
                "venue": "Journal of Commons Studies", "reading_type": "article",
                "summary": f"On {SEARCH_WORDS}: what works, what does not, and why.",
                "tags": ["peer-learning", "commons"],
            })

        # The entry page: a long address, related readings, votes and a threaded discussion.
        entry = _merged(mia, ann, "hub", {
            "title": "Appropriate Technology Library for Community Water and Energy Projects",
            "url": LONG_URL, "focus": "peer-driven production",
            "languages": "English, Español", "region": "worldwide", "licence": "CC BY 4.0",
            "summary": f"Plans for {SEARCH_WORDS} groups. Keeps {LONG_WORD} and more.\n\n"
                       "- digesters\n- pumps\n- **solar dryers**",
            "tags": ["water", "energy", "appropriate-technology", "peer-learning"],
            "related": db.session.scalars(
                select(Entry.slug).where(Entry.kind == "reading").limit(3)
            ).all(),
        })
        for voter in (bob, dee, eli):
            voting.cast_vote(voter, entry, 1)
        first = discussion.add_comment(
            bob, entry, f"See chapter 3 at {LONG_URL} — it covers {LONG_WORD}.")
        voting.cast_vote(ann, first, 1)
        reply = discussion.add_comment(ann, entry, "Thanks, **very useful**.", parent_id=first.id)
        discussion.add_comment(cyd, entry, "Is there a Spanish version?", parent_id=reply.id)
        doubtful = discussion.add_comment(cyd, entry, "Buy cheap pumps at example.com")
        for flagger in (bob, dee, eli):
            discussion.flag(flagger, doubtful, "spam", note="Advertising.")

        # Its history: an edit merged, so revisions 1 and 2 differ field by field.
        fields = contributions.current_fields(entry)
        edit = contributions.propose_edit(
            bob, entry, {**fields, "region": "East Africa and worldwide",
                         "summary": fields["summary"] + "\n\nNow with a chapter on rainwater."},
            "Clearer region and a new chapter.", 1)
        moderation.merge_proposal(mia, edit, "A clear improvement.")

        # The proposal page: an open edit against the current revision, discussed and voted.
        fields = contributions.current_fields(entry)
        proposal = contributions.propose_edit(
            dee, entry, {**fields, "title": "Appropriate Technology Library (water, energy)",
                         "licence": "CC BY-SA 4.0", "tags": [*fields["tags"], "open-data"]},
            "A shorter title, and the licence the library actually uses.", 2)
        voting.cast_vote(ann, proposal, 1)
        voting.cast_vote(bob, proposal, 1)
        question = discussion.add_comment(ann, proposal, "Is the licence change confirmed?")
        discussion.add_comment(dee, proposal, "Yes: see their *about* page.", parent_id=question.id)

        # A full moderation queue: open proposals, a merge suggestion and flagged items.
        for number in range(PAGE_ROWS):
            author = (ann, bob, dee, eli)[number % 4]
            new = contributions.propose_entry(author, "reading", {
                "title": f"Notes on {SEARCH_WORDS}, volume {number + 1}",
                "url": f"https://notes.example.org/volume-{number + 1}",
                "reading_type": "report", "year": 2020,
                "summary": "Short field notes from study circles.", "tags": ["notes"],
            })
            if number % 3 == 0:
                voting.cast_vote(mia, new, 1)
        duplicate = db.session.scalar(select(Entry).where(Entry.title == "Community Water Commons"))
        discussion.flag(eli, duplicate, "duplicate", note="Same group, two names.",
                        duplicate_of=entry)
        rejected = contributions.propose_entry(cyd, "hub", {
            "title": "My shop", "url": "https://shop.example.com/", "focus": "production",
            "summary": "Buy things.", "tags": ["shop"],
        })
        moderation.reject(mia, rejected, "Advertising, not a hub of peer production.")
        db.session.commit()

        return SampleCommons(paths={
            "home": "/",
            "hubs": "/hubs",
            "readings": "/readings",
            "search": "/search?q=" + SEARCH_WORDS.replace(" ", "+"),
            "entry": f"/entries/{entry.slug}",
            "history": f"/entries/{entry.slug}/history?from=1&to=2",
            "proposal": f"/proposals/{proposal.id}",
            "propose-hub": "/propose/hub",
            "propose-reading": "/propose/reading",
            "moderation-queue": "/moderation",
            "moderation-log": "/moderation/log",
            "login": "/login",
            "signup": "/signup",
            "profile": f"/users/{ann.username}",
            "notifications": "/notifications",
        })


# Every page the browser checks look at, and who looks at it.
PAGES = {
    "home": None, "hubs": None, "readings": None, "search": None, "entry": "peer",
    "history": None, "proposal": "peer", "propose-hub": "peer", "propose-reading": "peer",
    "moderation-queue": "moderator", "moderation-log": "moderator", "login": None,
    "signup": None, "profile": None, "notifications": "peer",
}
FORMS_WITH_ERRORS = {"propose-hub", "propose-reading"}


def show(page, site, name):
    """Open the named page; a proposal form is sent with a bad address to show its errors.

    Fields are found by id, not by label, so this works in every interface language.
    """
    page.goto(site.url + site.commons.paths[name])
    if name in FORMS_WITH_ERRORS:
        page.locator("#title").fill("A title")
        page.locator("#url").fill("javascript:alert(1)")
        page.locator("#submit").click()
        page.wait_for_load_state()
        assert page.locator("[aria-invalid=true]").count() > 0, "the form shows no errors"
