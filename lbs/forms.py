"""Helpers shared by every area's forms."""

from wtforms import Field


def attach_error(form, error):
    """Show a domain Invalid by its fields, or at the top of the form when no field matches."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if isinstance(field, Field):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def form_status(form):
    """400 for a sent form that came back with errors, 200 for a fresh one."""
    return 400 if form.is_submitted() else 200
