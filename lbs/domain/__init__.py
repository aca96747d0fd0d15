"""The rules of the commons: plain functions over models, no request objects.

Domain functions take the acting user explicitly, change the session and flush; the caller
(a view, a CLI command) commits once, so an error leaves nothing half done.
"""
