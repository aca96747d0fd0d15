"""The web's anti-spam quotas, applied to API writes: one quota per person, whichever door.

Each limit below uses the settings, the key (the account) and the bucket of its web
counterpart, so acting through the API and through the site draw on the same allowance.
Proposals share the "proposals" bucket by name. The web's vote and comment limits are not
shared, so Flask-Limiter names their buckets "<endpoint>:<scope>"; a shared limit with that
very name lands in the same bucket (tests/functional/test_api_write.py checks both).
"""

from lbs.extensions import limiter
from lbs.ratelimits import by_account_age, setting, signed_in_user


def done(response):
    """Only writes that went through count, as lbs.ratelimits.succeeded does for redirects."""
    return 200 <= response.status_code < 300


proposal_limit = limiter.shared_limit(
    by_account_age("NEW_ACCOUNT_PROPOSALS_LIMIT", "PROPOSALS_LIMIT"),
    key_func=signed_in_user, methods=["POST"], deduct_when=done, scope="proposals",
)
comment_limit = limiter.shared_limit(
    by_account_age("NEW_ACCOUNT_COMMENTS_LIMIT", "COMMENTS_LIMIT"),
    key_func=signed_in_user, methods=["POST"], deduct_when=done,
    scope="discussion.add_comment:comments",
)
vote_limit = limiter.shared_limit(
    setting("VOTES_LIMIT"),
    key_func=signed_in_user, methods=["POST"], deduct_when=done, scope="discussion.vote:votes",
)
