"""The console's password policy and the one-time passwords it generates."""

from __future__ import annotations

import pytest

from registry.adapters.password_list import common_passwords
from registry.domain.errors import InvalidInput
from registry.domain.passwords import (
    MIN_LENGTH,
    check_password,
    generate_password,
    password_problem,
)

COMMON = common_passwords()


def test_the_shipped_list_holds_the_well_known_and_the_indonesian_favourites() -> None:
    assert {"password", "123456", "qwerty", "bismillah", "sayangku", "indonesia"} <= COMMON
    assert len(COMMON) > 1000
    assert all(entry == entry.lower() and entry for entry in COMMON)


def test_a_long_uncommon_password_is_accepted() -> None:
    assert password_problem("kopi tubruk di teras", username="andi", common=COMMON) is None


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("pendek123", f"minimal {MIN_LENGTH} karakter"),
        ("Password1234", "paling sering dipakai"),
        ("BISMILLAH123!", "paling sering dipakai"),
        ("qwertyuiop12", "paling sering dipakai"),
        ("aaaaaaaaaaaaaa", "mengulang"),
        ("121212121212", "mengulang"),
        ("andi.pratama-2026", "nama pengguna"),
        ("x" * 257, "terlalu panjang"),
    ],
)
def test_weak_passwords_are_refused_in_indonesian(password: str, says: str) -> None:
    problem = password_problem(password, username="Andi.Pratama", common=COMMON)
    assert problem is not None
    assert says in problem
    with pytest.raises(InvalidInput) as raised:
        check_password(password, username="Andi.Pratama", common=COMMON)
    assert raised.value.field == "password"


def test_generated_passwords_meet_the_policy_and_differ() -> None:
    generated = {generate_password(username="admin", common=COMMON) for _ in range(50)}
    assert len(generated) == 50
    for password in generated:
        assert len(password) >= MIN_LENGTH
        assert password_problem(password, username="admin", common=COMMON) is None
        # Easy to copy from a terminal: no 0/O or 1/l/I to confuse.
        assert not set(password) & set("0O1lI")
