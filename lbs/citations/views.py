"""Citations of readings: BibTeX, RIS and CSL-JSON, for one reading, a list or a search.

Formats by extension: `.bib` (BibTeX), `.ris` (RIS), `.json` (CSL-JSON).
"""

from flask import Blueprint, Response, abort, redirect, request, url_for

from lbs.domain import citations

bp = Blueprint("citations", __name__)

CONTENT_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}
FORMAT = "<any(bib, ris, json):format>"


def _download(text, format, name):
    return Response(
        text,
        content_type=CONTENT_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
    )


@bp.route(f"/entries/<slug>.{FORMAT}")
def entry(slug, format):
    """One reading: /entries/<slug>.bib, .ris or .json. Hubs are not cited: 404."""
    reading = citations.citable_reading(slug)
    if reading is None:
        abort(404)
    if reading.slug != slug:
        return redirect(url_for("citations.entry", slug=reading.slug, format=format), 301)
    return _download(citations.FORMATS[format]([reading]), format, reading.slug)


@bp.route(f"/readings.{FORMAT}")
def readings(format):
    """The readings of one page of /readings, cited: the same query string (sort, tag, type,
    year_from, year_to, page) gives the same readings in the same order,
    e.g. /readings.bib?sort=new&tag=commons&page=2."""
    rows = citations.readings_page(request.args)
    return _download(citations.FORMATS[format](rows), format, "readings")


@bp.route(f"/search.{FORMAT}")
def search(format):
    """The readings of one page of /search, cited: /search.ris?q=commons&tag=…&page=…
    gives the readings that /search?q=commons&kind=reading&… lists (hubs are not cited)."""
    rows = citations.search_page(request.args)
    return _download(citations.FORMATS[format](rows), format, "search-results")
