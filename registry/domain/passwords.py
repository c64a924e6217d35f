"""What a console password must be, and the one-time passwords the registry hands out.

Pure policy: the list of common passwords is passed in (``registry.adapters.password_list`` reads
the shipped file). Length is what makes a password hard to guess, so the rules are few: at least
:data:`MIN_LENGTH` characters, not one of the most common passwords (ignoring case and digits or
symbols tacked on at the end, the usual way people stretch one to the minimum), not a handful of
characters repeated, and not containing the username.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Collection

from registry.domain.errors import InvalidInput

__all__ = ["MAX_LENGTH", "MIN_LENGTH", "check_password", "generate_password", "password_problem"]

MIN_LENGTH = 12
# Argon2 hashes any length, but a megabyte "password" is only a way to burn the server's CPU.
MAX_LENGTH = 256
_MIN_DISTINCT = 5
_TRAILING_FILLER = re.compile(r"[\d\W_]+$")
# No 0/O, 1/l/I: the one-time password is read off a terminal and typed by a person.
_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_GROUPS = 4
_GROUP_LENGTH = 4


def password_problem(password: str, *, username: str, common: Collection[str]) -> str | None:
    """Why ``password`` is refused (a sentence saying what to do instead), or None."""
    if len(password) < MIN_LENGTH:
        return (
            f"Kata sandi terlalu pendek: minimal {MIN_LENGTH} karakter. Gunakan beberapa kata "
            "yang mudah Anda ingat, misalnya tiga kata dipisah spasi."
        )
    if len(password) > MAX_LENGTH:
        return f"Kata sandi terlalu panjang: maksimal {MAX_LENGTH} karakter."
    lowered = password.lower()
    name = username.strip().lower()
    if len(name) >= 3 and name in lowered:
        return "Kata sandi tidak boleh memuat nama pengguna. Pilih kata sandi lain."
    stem = _TRAILING_FILLER.sub("", lowered)
    if lowered in common or stem in common or lowered.strip() in common:
        return (
            "Kata sandi ini termasuk yang paling sering dipakai dan mudah ditebak. "
            "Pilih kata sandi lain, misalnya beberapa kata yang tidak biasa digabungkan."
        )
    if len(set(lowered)) < _MIN_DISTINCT:
        return (
            "Kata sandi ini hanya mengulang beberapa karakter dan mudah ditebak. "
            "Pilih kata sandi lain."
        )
    return None


def check_password(password: str, *, username: str, common: Collection[str]) -> None:
    """Raise :class:`InvalidInput` (field ``password``) when the policy refuses ``password``."""
    problem = password_problem(password, username=username, common=common)
    if problem is not None:
        raise InvalidInput(problem, field="password")


def generate_password(*, username: str, common: Collection[str]) -> str:
    """A random password that meets the policy, e.g. ``Kq7m-xP9t-4RwZ-hn3e`` (~93 bits)."""
    while True:
        groups = (
            "".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LENGTH)) for _ in range(_GROUPS)
        )
        candidate = "-".join(groups)
        if password_problem(candidate, username=username, common=common) is None:
            return candidate
