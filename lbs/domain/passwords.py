"""Password hashing (argon2id) and the common-password list."""

from functools import cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

MIN_LENGTH = 10
MAX_LENGTH = 1000  # argon2 takes any length; this only stops 1 MB "passwords" wasting CPU.

# OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)

# Werkzeug's formats, from before argon2id: still accepted once, then rehashed at log-in.
_LEGACY_PREFIXES = ("scrypt:", "pbkdf2:")


def hash_password(password):
    return _hasher.hash(password)


def verify_password(stored_hash, password):
    if stored_hash.startswith(_LEGACY_PREFIXES):
        return check_password_hash(stored_hash, password)
    try:
        return _hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash):
    if stored_hash.startswith(_LEGACY_PREFIXES):
        return True
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return False


@cache
def dummy_hash():
    """A real hash to verify against when the account does not exist, so both take as long."""
    return _hasher.hash("an account that does not exist")


@cache
def _common_passwords():
    text = resources.files("lbs.data").joinpath("common-passwords.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_common(password):
    return password.lower() in _common_passwords()
