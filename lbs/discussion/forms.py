from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from lbs.models import FLAG_REASONS

FLAG_REASON_LABELS = {
    "spam": _l("Spam or advertising"),
    "off-topic": _l("Off-topic for the commons"),
    "abuse": _l("Abusive or harassing"),
    "broken-link": _l("The link is broken"),
    "duplicate": _l("A duplicate of another entry"),
}


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Your comment"),
        description=_l("Markdown: *emphasis*, **strong**, [links](https://example.org)."),
    )
    parent_id = HiddenField()
    next = HiddenField()


class FlagForm(FlaskForm):
    reason = SelectField(
        _l("Why are you flagging this?"),
        choices=[("", _l("Choose…"))] + [(r, FLAG_REASON_LABELS[r]) for r in FLAG_REASONS],
    )
    duplicate_of = StringField(
        _l("Duplicate of"), description=_l("Only for duplicates: the entry's address or slug.")
    )
    note = TextAreaField(_l("Anything moderators should know (optional)"))
    next = HiddenField()
