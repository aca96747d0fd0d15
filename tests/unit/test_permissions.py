"""Rules of lbs.domain.permissions that hold by construction, checked against the models."""

from types import SimpleNamespace

from lbs.domain.permissions import OPEN_TO_VOTES, can
from lbs.models import COMMENT_STATUSES, ENTRY_STATUSES, PROPOSAL_STATUSES


def test_the_statuses_of_entries_proposals_and_comments_never_overlap():
    # Votes are judged by status alone (list rows are plain result rows, not Entry objects):
    # that is right only while no status names two things.
    kinds = [set(ENTRY_STATUSES), set(PROPOSAL_STATUSES), set(COMMENT_STATUSES)]
    assert sum(len(k) for k in kinds) == len(set().union(*kinds))
    assert OPEN_TO_VOTES == {"live", "open", "visible"}
    assert all(len(OPEN_TO_VOTES & k) == 1 for k in kinds)


def voter(user_id=1, status="active"):
    return SimpleNamespace(id=user_id, is_authenticated=True, status=status, role="peer")


def test_a_list_row_takes_votes_like_the_entry_it_shows():
    row = SimpleNamespace(status="live", proposer_id=2, ups=0, downs=0)
    assert can(voter(), "vote", row)
    assert not can(voter(user_id=2), "vote", row)  # the proposer's own
    assert not can(voter(status="suspended"), "vote", row)
    assert not can(voter(), "vote", SimpleNamespace(status="archived", proposer_id=2))
