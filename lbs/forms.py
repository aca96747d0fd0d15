"""Helpers shared by every area's forms."""

from wtforms import Field


def attach_error(form, error):
    """Show a domain Invalid by its field, or at the top of the form when no field matches."""
    field = getattr(form, error.field, None)
    if isinstance(field, Field):
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def form_status(form):
    """400 for a sent form that came back with errors, 200 for a fresh one."""
    return 400 if form.is_submitted() else 200
