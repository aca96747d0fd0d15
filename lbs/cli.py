"""`flask --app lbs lbs ...`: administration from the command line. Each command is one transaction."""

import sqlite3
import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from lbs.domain import accounts, moderation
from lbs.domain.browsing import forget_counts
from lbs.domain.errors import DomainError
from lbs.domain.starter import load_starter
from lbs.extensions import db
from lbs.models import ROLES, Entry, User


# AppGroup runs every command inside the app context, however the group is invoked
# (the `flask` command, or app.cli from tests and scripts).
@click.group("lbs", cls=AppGroup)
def lbs_group():
    """Administer Learning by Sharing."""


def _fail(message):
    db.session.rollback()
    raise click.ClickException(message)


def _decide(decision, *args):
    """Run one moderation decision as the system account, in one transaction."""
    try:
        decision(accounts.system_user(), *args)
        db.session.commit()
    except DomainError as error:
        _fail(error.message)


def _user(username):
    user = accounts.find_by_login(username)
    if user is None:
        _fail(f"No user named {username!r}.")
    return user


@lbs_group.command("create-user")
@click.argument("username")
@click.option("--email", required=True, help="The account's email address.")
@click.option("--role", type=click.Choice(ROLES), default="peer", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(username, email, role, password_stdin):
    """Create an account (the password is asked for, or read from standard input)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = accounts.sign_up(username, email, password, role=role)
        db.session.commit()
    except DomainError as error:
        _fail(error.message)
    click.echo(f"Created {user.role} {user.username}.")


@lbs_group.command("set-role")
@click.argument("username")
@click.argument("role")
def set_role(username, role):
    """Make USERNAME a peer, moderator or admin."""
    if role not in ROLES:
        _fail(f"Unknown role {role!r}: choose one of {', '.join(ROLES)}.")
    user = _user(username)
    _decide(moderation.set_role, user, role, "Role set from the command line.")
    click.echo(f"{user.username} is now {role}.")


@lbs_group.command("suspend")
@click.argument("username")
@click.option("--reason", required=True, help="Shown to the user and in the public log.")
def suspend(username, reason):
    """Suspend an account: it is logged out everywhere and cannot log in."""
    user = _user(username)
    _decide(moderation.suspend, user, reason)
    click.echo(f"{user.username} is suspended.")


@lbs_group.command("reinstate")
@click.argument("username")
@click.option("--reason", required=True, help="Shown in the public log.")
def reinstate(username, reason):
    """Lift a suspension."""
    user = _user(username)
    _decide(moderation.reinstate, user, reason)
    click.echo(f"{user.username} is active again.")


@lbs_group.command("load-starter")
@click.option("--if-empty", is_flag=True, help="Only load into a commons with no entries.")
def load_starter_command(if_empty):
    """Load the starter hubs and readings; entries already there are left alone."""
    if if_empty and db.session.scalar(select(func.count()).select_from(Entry)):
        click.echo("The commons has entries already; nothing loaded.")
        return
    added = load_starter()
    db.session.commit()
    # The front page caches its counts; drop them so this process shows the new entries now.
    forget_counts()
    click.echo(f"Loaded {added} starter entries.")


@lbs_group.command("list-users")
def list_users():
    """Show every account with its role and status."""
    for user in db.session.scalars(select(User).order_by(User.id)):
        click.echo(f"{user.username}\t{user.role}\t{user.status}")


@lbs_group.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def backup(path):
    """Copy the SQLite database to PATH, consistently, while the site keeps running.

    SQLite's online backup API copies a snapshot page by page under the database's own
    locking, so writes in progress are either wholly in the copy or wholly not. For
    PostgreSQL use pg_dump (see the README).
    """
    from pathlib import Path

    engine = db.engine
    if engine.dialect.name != "sqlite":
        _fail("Online backup here is for SQLite; for PostgreSQL use pg_dump (see the README).")
    target = Path(path)
    if target.exists():
        _fail(f"{target} exists already; choose a new file so no backup is overwritten.")
    source = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        with destination:
            source.driver_connection.backup(destination)
        destination.close()
    finally:
        source.close()
    click.echo(f"Backed up the database to {target}.")
