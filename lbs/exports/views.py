"""The whole commons to take away: /export/commons.json and /export/commons.csv.

Both are streamed as they are read, batch by batch, so a large commons costs the server no
more memory than a small one. Profile and entry links in them are absolute, built from the
address the export was asked at.
"""

from flask import Blueprint, Response, current_app, request, stream_with_context

from lbs.domain import exports
from lbs.extensions import limiter
from lbs.ratelimits import client_address, setting

bp = Blueprint("exports", __name__)
# A full export reads the whole commons: a few an hour per address is plenty for any mirror.
export_limit = limiter.limit(setting("EXPORTS_LIMIT"), key_func=client_address, scope="exports")


def _download(chunks, content_type, filename):
    return Response(
        stream_with_context(chunks),
        content_type=content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Link": f'<{current_app.config["LICENCE_URL"]}>; rel="license"',
        },
    )


@bp.route("/export/commons.json")
@export_limit
def commons_json():
    """Every live entry as JSON, with a top-level "licence" object and each entry's
    contributors and their profile URLs."""
    site = request.url_root.rstrip("/")
    return _download(
        exports.commons_json(site), "application/json; charset=utf-8", "commons.json"
    )


@bp.route("/export/commons.csv")
@export_limit
def commons_csv():
    """Every live entry as CSV: a header row, then one row per entry; the `shared_under`
    column of each row names the licence."""
    site = request.url_root.rstrip("/")
    return _download(exports.commons_csv(site), "text/csv; charset=utf-8", "commons.csv")
