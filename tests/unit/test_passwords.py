"""Password hashing and the common-password rule."""

import re
from importlib import resources

import pytest
from argon2 import PasswordHasher
from werkzeug.security import generate_password_hash

from lbs.domain import passwords
from lbs.domain.accounts import check_new_password
from lbs.domain.errors import Invalid

SECRET = "correct horse battery"


def listed_passwords():
    text = resources.files("lbs.data").joinpath("common-passwords.txt").read_text("utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_hashes_are_argon2id_with_at_least_owasps_cost():
    stored = passwords.hash_password(SECRET)

    assert stored.startswith("$argon2id$")
    memory, passes = re.search(r"\$m=(\d+),t=(\d+),", stored).groups()
    assert int(memory) >= 19456
    assert int(passes) >= 2


def test_the_same_password_hashes_differently_each_time():
    assert passwords.hash_password(SECRET) != passwords.hash_password(SECRET)


def test_only_the_exact_password_verifies():
    stored = passwords.hash_password(SECRET)

    assert passwords.verify_password(stored, SECRET)
    assert not passwords.verify_password(stored, SECRET.upper())
    assert not passwords.verify_password(stored, SECRET + " ")
    assert not passwords.verify_password(stored, "")


# Werkzeug's formats with small work factors: the format is what matters, not the cost.
@pytest.mark.parametrize("method", ["scrypt:1024:8:1", "pbkdf2:sha256:1000"])
def test_a_legacy_werkzeug_hash_verifies_and_asks_for_a_rehash(method):
    legacy = generate_password_hash(SECRET, method=method)

    assert passwords.verify_password(legacy, SECRET)
    assert not passwords.verify_password(legacy, "another password")
    assert passwords.needs_rehash(legacy)


def test_a_weaker_argon2_hash_asks_for_a_rehash():
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(SECRET)

    assert passwords.verify_password(weak, SECRET)
    assert passwords.needs_rehash(weak)


def test_a_current_hash_needs_no_rehash():
    assert not passwords.needs_rehash(passwords.hash_password(SECRET))


@pytest.mark.parametrize("stored", ["!", "", "$argon2id$garbage", "plain text"])
def test_a_stored_value_that_is_no_hash_never_verifies(stored):
    assert not passwords.verify_password(stored, stored)
    assert not passwords.verify_password(stored, SECRET)


def test_the_list_holds_three_thousand_distinct_passwords():
    listed = listed_passwords()

    assert len(listed) == 3000
    assert len({p.lower() for p in listed}) == 3000


def test_every_listed_password_counts_as_common_in_any_case():
    for password in listed_passwords():
        assert passwords.is_common(password), password
        assert passwords.is_common(password.upper()), password


def test_every_listed_password_long_enough_to_pass_the_length_rule_is_refused():
    long_enough = [p for p in listed_passwords() if len(p) >= passwords.MIN_LENGTH]
    assert long_enough

    for password in long_enough:
        with pytest.raises(Invalid, match="common") as refused:
            check_new_password(password, "someone")
        assert refused.value.field == "password"


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("nine char", "at least 10"),
        ("x" * (passwords.MAX_LENGTH + 1), "at most"),
        ("Grace_Hopper", "username"),
    ],
)
def test_the_password_rule_refuses(password, message):
    with pytest.raises(Invalid, match=message):
        check_new_password(password, "grace_hopper")


@pytest.mark.parametrize(
    "password",
    ["ten chars!", "Tr0ub4dor&3 horse", " 🌱 spaced out passphrase 🌱 ", "x" * passwords.MAX_LENGTH],
)
def test_the_password_rule_accepts_any_composition(password):
    # No composition rules: length and the common list are the whole policy.
    check_new_password(password, "grace_hopper")
