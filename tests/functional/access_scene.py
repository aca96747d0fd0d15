"""A small commons with one of each kind of visitor, for the tests that sweep every route:
the access matrix, the headers on every response and the passive crawl.

Everything is made through the domain, the way people would have made it, in one transaction:
the sweeps build many scenes, and each commit waits for the disk.
"""

from lbs.domain import accounts, contributions, discussion, entries, tokens
from lbs.extensions import db
from lbs.models import User, utcnow
from tests.functional.api_scene import bearer
from tests.functional.moderating import ESTABLISHED, HUB, READING, _password_hash
from tests.support.routes import routes

ROLES = ("anonymous", "peer", "owner", "moderator", "admin", "suspended")


def done(response):
    """The response read to its end: a streamed export left open keeps its request's context,
    and whoever that request was for, alive into the next request of the test."""
    response.get_data()
    response.close()
    return response


def _user(name, role="peer"):
    user = User(
        username=name, username_key=name.lower(), email=f"{name}@example.org",
        email_key=f"{name.lower()}@example.org", password_hash=_password_hash(), role=role,
        created_at=utcnow() - ESTABLISHED,
    )
    db.session.add(user)
    db.session.flush()
    return user


class Scene:
    """Accounts named after their role and the number `n` (owner1, peer1, ...), a peer called
    witness, and what the owner made: two readings, an open proposal of a hub, a comment; the
    witness's duplicate flag on the proposal; an API token for every account; a live session
    for every account, the suspended one's included."""

    def __init__(self, app, n=1):
        self.app = app
        self.names = {role: f"{role}{n}" for role in ROLES if role != "anonymous"}
        with app.app_context():
            users = {
                role: _user(name, role if role in ("moderator", "admin") else "peer")
                for role, name in self.names.items()
            }
            witness = _user(f"witness{n}")
            owner = users["owner"]
            entry = entries.create_entry(
                "reading", {**READING, "title": f"Commons reader {n}",
                            "url": f"https://example.org/{n}/reader"},
                owner, None, reason="From the starter commons.")
            other = entries.create_entry(
                "reading", {**READING, "title": f"Commons companion {n}",
                            "url": f"https://example.org/{n}/companion"},
                owner, None, reason="From the starter commons.")
            proposal = contributions.propose_entry(
                owner, "hub", {**HUB, "title": f"Seed library {n}",
                               "url": f"https://example.org/{n}/seeds"}, accept_similar=True)
            note = discussion.add_comment(owner, entry, "A first thought.")
            flag_id = discussion.flag(witness, proposal, "duplicate", duplicate_of=other)
            issued = {role: tokens.create_token(user, "my script") for role, user in users.items()}
            self.sessions = {
                role: accounts.start_session(user, "Laptop") for role, user in users.items()
            }
            # A second device of the owner's, for the page that ends one session.
            accounts.start_session(owner, "Phone")
            db.session.flush()
            # Only the status changes: the session and the token stay live, so the status alone
            # has to shut them out.
            users["suspended"].status = "suspended"
            users["suspended"].suspended_reason = "Spam."
            self.values = {
                "n": n, "owner": owner.username, "entry": entry.slug, "other": other.slug,
                "proposal": proposal.id, "comment": note.id, "flag": flag_id,
                "owner_session": next(
                    s.id for s in accounts.live_sessions(owner) if s.user_agent == "Phone"),
                "owner_token": issued["owner"][0].id,
            }
            self.tokens = {role: secret for role, (_row, secret) in issued.items()}
            db.session.commit()
        self.browsers = {"anonymous": app.test_client()}
        for role, token in self.sessions.items():
            self.browsers[role] = self.browser(token)

    def browser(self, session_token, base_url="http://localhost"):
        """A browser of its own holding the session with this token."""
        client = self.app.test_client()
        with client.session_transaction(base_url=base_url) as session:
            session["_user_id"] = session_token
            session["_fresh"] = True
        return client

    def fill(self, template):
        """`template` with the scene's {placeholders} filled, in dicts and lists too."""
        if isinstance(template, dict):
            return {key: self.fill(value) for key, value in template.items()}
        if isinstance(template, list):
            return [self.fill(value) for value in template]
        if isinstance(template, str):
            filled = template.format(**self.values)
            # A whole placeholder for a number stays a number in a JSON body.
            return int(filled) if template.startswith("{") and filled.isdigit() else filled
        return template

    def request(self, role, method, path, body=None):
        path = self.fill(path)
        if path.startswith("/api/") and method == "POST":
            # Programs write with a bearer token and no cookies; the anonymous one has none.
            headers = bearer(self.tokens[role]) if role in self.tokens else {}
            return self.app.test_client().post(path, json=self.fill(body), headers=headers)
        client = self.browsers[role]
        if method == "GET":
            return client.get(path)
        return client.post(path, data=self.fill(body or {}))

    def every_get(self):
        """A path for every GET route of the app, pointing at the scene's things, and a
        static file."""
        values = self.values
        samples = {"slug": values["entry"], "tag": "commons", "username": values["owner"],
                   "proposal_id": values["proposal"], "comment_id": values["comment"],
                   "target_type": "proposal", "target_id": values["proposal"]}
        paths = [path for _endpoint, path in routes(self.app, "GET", samples)]
        return paths + ["/static/style.css"]
