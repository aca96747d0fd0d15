from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason (public)", description="Shown to the people concerned and in the public log."
    )
    version = HiddenField()
    entry_version = HiddenField()


class DuplicateForm(ReasonForm):
    entry = StringField("Duplicate of", description="The entry's address or slug.")


class MergeEntriesForm(ReasonForm):
    entry = StringField("Merge into", description="The surviving entry's address or slug.")


class RollbackForm(ReasonForm):
    revision = HiddenField()
