"""`flask --app lbs lbs ...` commands of this area, registered on the lbs group."""

import click
from flask import current_app

from lbs.cli import lbs_group
from lbs.domain import link_health
from lbs.extensions import db


@lbs_group.command("check-links")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True),
              default=link_health.DEFAULT_TIMEOUT, show_default=True,
              help="Seconds to wait for a server before calling the link a timeout.")
@click.option("--concurrency", type=click.IntRange(1, 64),
              default=link_health.DEFAULT_CONCURRENCY, show_default=True,
              help="Links checked at once.")
@click.option("--per-host", type=click.IntRange(1, 16), default=link_health.DEFAULT_PER_HOST,
              show_default=True, help="Requests at once to any one host.")
@click.option("--only-broken", is_flag=True, help="Re-check only links found broken before.")
@click.option("--older-than-days", type=click.FloatRange(min=0),
              help="Only links never checked or last checked more than this many days ago.")
def check_links(timeout, concurrency, per_host, only_broken, older_than_days):
    """Check every live entry's link and record which ones no longer work."""
    targets = link_health.entries_to_check(only_broken, older_than_days)
    # End the read transaction: nothing may stay open while the network is waited on.
    db.session.commit()
    summary = link_health.Summary()
    checks = link_health.check_urls(
        targets, timeout=timeout, concurrency=concurrency, per_host=per_host,
        allow_private=current_app.config.get("LINK_CHECK_PRIVATE_ADDRESSES", False),
    )
    for batch in link_health.batches(checks):
        link_health.store_results(batch)
        db.session.commit()
        summary.count(result for _, result in batch)
    click.echo(str(summary))
