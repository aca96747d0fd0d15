"""`flask --app lbs lbs ...` commands of this area, registered on the lbs group."""

from lbs.cli import lbs_group  # noqa: F401 - commands below attach themselves to the group
