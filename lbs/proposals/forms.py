"""Proposal forms. They only collect what was typed: the rules live in lbs.domain.contributions."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField

from lbs.models import HUB_FOCUSES, READING_TYPES


class EntryFieldsForm(FlaskForm):
    title = StringField("Title")
    url = StringField("Web address", description="Starting with https:// or http://.")
    summary = TextAreaField(
        "Summary",
        description="What it is and why it is worth a learner's time. Markdown: *emphasis*, "
        "**strong**, [links](https://example.org), lists.",
    )
    tags = StringField("Tags", description="Up to 5, separated by commas, e.g. open-hardware, water.")
    rationale = TextAreaField("Why propose this?", description="Optional for new entries.")
    accept_similar = BooleanField("This is not the same as the open proposal shown above")
    preview = SubmitField("Preview")
    submit = SubmitField("Propose")


class HubForm(EntryFieldsForm):
    focus = SelectField("Focus", choices=[("", "Choose…")] + [(f, f) for f in HUB_FOCUSES])
    languages = StringField("Languages", description="e.g. English, Kiswahili, French")
    region = StringField("Region", description="Where it works, or “worldwide”.")
    licence = StringField("Licence", description="e.g. CC BY-SA 4.0")
    related = StringField(
        "Readings about it",
        description="Addresses of readings in the commons (the part after /entries/), "
        "separated by commas.",
    )


class ReadingForm(EntryFieldsForm):
    authors = StringField("Authors", description="Separated by commas.")
    year = StringField("Year")
    venue = StringField("Publisher or venue")
    reading_type = SelectField(
        "Type", choices=[("", "Choose…")] + [(t, t) for t in READING_TYPES]
    )
    doi = StringField("DOI", description="If it has one, e.g. 10.1000/xyz123")
    isbn = StringField("ISBN", description="For books: ISBN-10 or ISBN-13.")
    related = StringField(
        "Hubs where it is practised",
        description="Addresses of hubs in the commons (the part after /entries/), "
        "separated by commas.",
    )
    url = StringField(
        "Web address", description="Starting with https:// or http://. Optional with a DOI or ISBN."
    )


class EditForm:
    """Adds what an edit proposal needs: the revision it was written against."""

    base_revision = HiddenField()


class HubEditForm(HubForm, EditForm):
    rationale = TextAreaField("Why this edit?", description="Required: what is better afterwards.")


class ReadingEditForm(ReadingForm, EditForm):
    rationale = TextAreaField("Why this edit?", description="Required: what is better afterwards.")


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
