"""Proposal forms. They only collect what was typed: the rules live in lbs.domain.contributions."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField

from lbs.i18n import LABELS
from lbs.models import HUB_FOCUSES, READING_TYPES


class EntryFieldsForm(FlaskForm):
    title = StringField(_l("Title"))
    url = StringField(_l("Web address"), description=_l("Starting with https:// or http://."))
    summary = TextAreaField(
        _l("Summary"),
        description=_l(
            "What it is and why it is worth a learner's time. Markdown: *emphasis*, "
            "**strong**, [links](https://example.org), lists."
        ),
    )
    tags = StringField(
        _l("Tags"), description=_l("Up to 5, separated by commas, e.g. open-hardware, water.")
    )
    rationale = TextAreaField(_l("Why propose this?"), description=_l("Optional for new entries."))
    accept_similar = BooleanField(_l("This is not the same as the open proposal shown above"))
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Propose"))


class HubForm(EntryFieldsForm):
    focus = SelectField(
        _l("Focus"), choices=[("", _l("Choose…"))] + [(f, LABELS[f]) for f in HUB_FOCUSES]
    )
    languages = StringField(_l("Languages"), description=_l("e.g. English, Kiswahili, French"))
    region = StringField(_l("Region"), description=_l("Where it works, or “worldwide”."))
    licence = StringField(_l("Licence"), description=_l("e.g. CC BY-SA 4.0"))
    related = StringField(
        _l("Readings about it"),
        description=_l(
            "Addresses of readings in the commons (the part after /entries/), "
            "separated by commas."
        ),
    )


class ReadingForm(EntryFieldsForm):
    authors = StringField(_l("Authors"), description=_l("Separated by commas."))
    year = StringField(_l("Year"))
    venue = StringField(_l("Publisher or venue"))
    reading_type = SelectField(
        _l("Type"), choices=[("", _l("Choose…"))] + [(t, LABELS[t]) for t in READING_TYPES]
    )
    doi = StringField("DOI", description=_l("If it has one, e.g. 10.1000/xyz123"))
    isbn = StringField("ISBN", description=_l("For books: ISBN-10 or ISBN-13."))
    related = StringField(
        _l("Hubs where it is practised"),
        description=_l(
            "Addresses of hubs in the commons (the part after /entries/), "
            "separated by commas."
        ),
    )
    url = StringField(
        _l("Web address"),
        description=_l("Starting with https:// or http://. Optional with a DOI or ISBN."),
    )


class EditForm:
    """Adds what an edit proposal needs: the revision it was written against."""

    base_revision = HiddenField()


class HubEditForm(HubForm, EditForm):
    rationale = TextAreaField(
        _l("Why this edit?"), description=_l("Required: what is better afterwards.")
    )


class ReadingEditForm(ReadingForm, EditForm):
    rationale = TextAreaField(
        _l("Why this edit?"), description=_l("Required: what is better afterwards.")
    )


FORMS = {"hub": HubForm, "reading": ReadingForm}
EDIT_FORMS = {"hub": HubEditForm, "reading": ReadingEditForm}
ENTRY_FIELDS = (
    "title", "url", "summary", "tags", "focus", "languages", "region", "licence", "authors",
    "year", "venue", "reading_type", "doi", "isbn", "related",
)


def form_data(form):
    """What the domain needs from a proposal form: the entry's fields as typed."""
    return {name: getattr(form, name).data for name in ENTRY_FIELDS if hasattr(form, name)}


def form_values(fields):
    """Stored fields turned back into what the form shows (lists joined, numbers as text)."""
    values = {}
    for name, value in fields.items():
        if isinstance(value, list):
            value = ", ".join(value)
        values[name] = "" if value is None else str(value)
    return values
