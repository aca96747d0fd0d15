"""A failure half-way through a change leaves nothing behind and shows a plain 500 (check 5)."""

from sqlalchemy import func, select

from lbs.domain import voting
from lbs.extensions import db
from lbs.models import Entry, Vote


def _first_entry(app):
    with app.app_context():
        return db.session.scalar(select(Entry.id).order_by(Entry.id).limit(1))


def test_an_error_after_the_vote_row_is_written_leaves_no_vote(app, client, runner, make_user,
                                                              auth, monkeypatch):
    runner.invoke(args=["lbs", "load-starter"])
    entry_id = _first_entry(app)
    make_user("ada")
    auth.login("ada")

    def fail_after_insert(*args, **kwargs):
        raise RuntimeError("disk full, say")

    # The vote row is inserted first; the counters' update then fails.
    monkeypatch.setattr(voting, "apply_counter_change", fail_after_insert)
    response = client.post(f"/vote/entry/{entry_id}", data={"value": "1"})

    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page
    assert "Traceback" not in page and "disk full" not in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Vote)) == 0
        entry = db.session.get(Entry, entry_id)
        assert (entry.ups, entry.downs, entry.score_top) == (0, 0, 0.0)
