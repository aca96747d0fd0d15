"""The three ways a domain function says no. One error handler turns each into a page."""


class DomainError(Exception):
    status = 400

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotAllowed(DomainError):
    """The acting user may not do this (403)."""

    status = 403


class Conflict(DomainError):
    """The thing changed since the user saw it, or is no longer in a state that allows this (409)."""

    status = 409


class Invalid(DomainError):
    """The input breaks a rule; `field` names the form field to show the message by (400)."""

    status = 400

    def __init__(self, field, message, errors=None):
        super().__init__(message)
        self.field = field
        # Every field's message when several are wrong at once: the form shows them all.
        self.errors = errors or {field: message}

    @classmethod
    def from_errors(cls, errors):
        field, message = next(iter(errors.items()))
        return cls(field, message, errors)
