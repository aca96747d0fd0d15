from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason (public)"),
        description=_l("Shown to the people concerned and in the public log."),
    )
    version = HiddenField()
    entry_version = HiddenField()


class DuplicateForm(ReasonForm):
    entry = StringField(_l("Duplicate of"), description=_l("The entry's address or slug."))


class MergeEntriesForm(ReasonForm):
    entry = StringField(_l("Merge into"), description=_l("The surviving entry's address or slug."))


class RollbackForm(ReasonForm):
    revision = HiddenField()
