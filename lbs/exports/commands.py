"""`flask --app lbs lbs export|import`: the commons to a file, and a file into a new site."""

import json

import click

from lbs.cli import _fail, lbs_group
from lbs.domain import exports
from lbs.domain.errors import DomainError
from lbs.extensions import db

WRITERS = {"json": exports.commons_json, "csv": exports.commons_csv}


@lbs_group.command("export")
@click.option("--format", "format_", type=click.Choice(sorted(WRITERS)), default="json",
              show_default=True, help="JSON keeps everything; CSV opens in a spreadsheet.")
@click.option("--output", default="-", type=click.Path(dir_okay=False, allow_dash=True),
              help="The file to write (standard output when left out).")
def export_command(format_, output):
    """Write every live entry with its contributors, votes and licence.

    Profile and entry links are relative paths (/users/NAME, /entries/SLUG): the command
    line does not know the address the site is served at.
    """
    # atomic: a file is only replaced once the whole export is written.
    with click.open_file(output, "wb", atomic=output != "-") as out:
        for chunk in WRITERS[format_]():
            out.write(chunk.encode("utf-8"))


@lbs_group.command("import")
@click.argument("file", type=click.File("rb"))
def import_command(file):
    """Load a JSON export (from `lbs export` or /export/commons.json) into an empty database.

    Contributors become accounts with no usable password; set one with the usual account
    tools before anyone logs in with them.
    """
    try:
        data = json.load(file)
    except (UnicodeDecodeError, ValueError) as error:
        _fail(f"{file.name} is not a JSON export: {error}")
    try:
        entries, accounts = exports.import_commons(data)
        db.session.commit()
    except DomainError as error:
        _fail(error.message)
    click.echo(f"Imported {entries} entries and {accounts} contributor accounts.")
