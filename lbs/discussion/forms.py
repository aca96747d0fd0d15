from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField

from lbs.models import FLAG_REASONS

FLAG_REASON_LABELS = {
    "spam": "Spam or advertising",
    "off-topic": "Off-topic for the commons",
    "abuse": "Abusive or harassing",
    "broken-link": "The link is broken",
    "duplicate": "A duplicate of another entry",
}


class CommentForm(FlaskForm):
    body = TextAreaField("Your comment", description="Markdown: *emphasis*, **strong**, [links](https://example.org).")
    parent_id = HiddenField()
    next = HiddenField()


class FlagForm(FlaskForm):
    reason = SelectField(
        "Why are you flagging this?",
        choices=[("", "Choose…")] + [(r, FLAG_REASON_LABELS[r]) for r in FLAG_REASONS],
    )
    duplicate_of = StringField(
        "Duplicate of", description="Only for duplicates: the entry's address or slug."
    )
    note = TextAreaField("Anything moderators should know (optional)")
    next = HiddenField()
