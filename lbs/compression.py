"""gzip for text responses when the client accepts it: the people this is for pay per megabyte."""

import gzip

from flask import request

COMPRESSIBLE = {
    "text/html", "text/css", "text/plain", "text/csv", "application/json",
    "application/atom+xml", "application/xml", "application/x-bibtex",
    "application/x-research-info-systems", "application/vnd.citationstyles.csl+json",
    "image/svg+xml", "text/javascript", "application/javascript",
}
MIN_SIZE = 500  # smaller bodies gain less than the gzip header costs


def register(app):
    @app.after_request
    def compress(response):
        if (
            response.direct_passthrough
            or response.is_streamed
            or response.status_code < 200
            or response.status_code in (204, 304)
            or "Content-Encoding" in response.headers
            or response.mimetype not in COMPRESSIBLE
            or "gzip" not in request.headers.get("Accept-Encoding", "").lower()
        ):
            return response
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        response.set_data(gzip.compress(body, compresslevel=6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(response.get_data()))
        response.vary.add("Accept-Encoding")
        return response
