"""The two stored scores of DESIGN.md. Pure functions: no database, no clock, no app."""

import math
from datetime import datetime

# z for a 95% confidence interval: "top" ranks by the score we are 95% sure is at least this.
WILSON_Z = 1.96

# Hot scores count seconds from this moment; any fixed date works, a recent one keeps the
# numbers small.
HOT_EPOCH = datetime(2025, 1, 1)

# Seconds of age that one order of magnitude of net votes is worth (12.5 hours).
DEFAULT_HOT_TAU = 45000


def wilson_lower_bound(ups, downs, z=WILSON_Z):
    """Lower bound of the Wilson score interval for the share of up-votes.

    Robust to few votes: 1 up and 0 down ranks below 90 up and 10 down.
    """
    n = ups + downs
    if ups == 0:
        return 0.0  # exactly the bound; the formula would leave float noise such as 2e-17

    p = ups / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)
    return max(0.0, (centre - margin) / (1 + z2 / n))


def hot_score(ups, downs, created_at, tau=DEFAULT_HOT_TAU):
    """sign(s) * log10(max(|s|, 1)) + (created - epoch) / tau, with s = ups - downs.

    It depends on the creation time, not on the clock, so it never needs recomputing as
    time passes: newer items simply start higher. That is what lets it be a stored,
    indexed column.
    """
    s = ups - downs
    sign = (s > 0) - (s < 0)
    order = math.log10(max(abs(s), 1))
    age = (created_at - HOT_EPOCH).total_seconds()
    return round(sign * order + age / tau, 7)
