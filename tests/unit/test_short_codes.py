"""Short codes as people type them: any case, hyphens and spaces, Crockford's look-alikes."""

from __future__ import annotations

import string

import pytest
from hypothesis import given
from hypothesis import strategies as st

from registry.domain.short_codes import (
    SHORT_CODE_ALPHABET,
    SHORT_CODE_LENGTH,
    normalise_short_code,
)

codes = st.text(
    alphabet=SHORT_CODE_ALPHABET, min_size=SHORT_CODE_LENGTH, max_size=SHORT_CODE_LENGTH
)

# How a person may write each canonical character: either case, and for 0 and 1 the letters
# that look like them.
_SPELLINGS = {char: {char, char.upper()} for char in SHORT_CODE_ALPHABET}
_SPELLINGS["0"] |= {"o", "O"}
_SPELLINGS["1"] |= {"i", "I", "l", "L"}


@st.composite
def as_typed(draw: st.DrawFn, code: str) -> str:
    typed = ""
    for char in code:
        typed += draw(st.sampled_from(sorted(_SPELLINGS[char])))
        typed += draw(st.sampled_from(["", "", "", "-", " ", "  "]))
    padding = st.sampled_from(["", " ", "\t"])
    return draw(padding) + typed + draw(padding)


def test_the_alphabet_is_crockfords() -> None:
    assert len(SHORT_CODE_ALPHABET) == 32
    assert set(SHORT_CODE_ALPHABET) == set(string.digits + string.ascii_lowercase) - set("ilou")


@given(codes)
def test_a_canonical_code_is_its_own_spelling(code: str) -> None:
    assert normalise_short_code(code) == code


@given(codes.flatmap(lambda code: st.tuples(st.just(code), as_typed(code))))
def test_any_way_of_typing_a_code_reads_back_as_the_code(pair: tuple[str, str]) -> None:
    code, typed = pair
    assert normalise_short_code(typed) == code


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ABCD-EFGH-JKMN", "abcdefghjkmn"),
        ("abcd efgh jkmn", "abcdefghjkmn"),
        ("O1IL-2345-6789", "011123456789"),
        ("oOiIlL 000 111", "001111000111"),
        ("  z9z9z9z9z9z9  ", "z9z9z9z9z9z9"),
    ],
)
def test_examples(typed: str, code: str) -> None:
    assert normalise_short_code(typed) == code


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("abcdefghjkmu", id="u-is-not-in-the-alphabet"),
        pytest.param("abcdefghjkm", id="one-short"),
        pytest.param("abcdefghjkmnp", id="one-long"),
        pytest.param("", id="empty"),
        pytest.param("------------", id="only-hyphens"),
        pytest.param("abcd_efgh_jkmn", id="underscore"),
        pytest.param("abcd.efgh.jkmn", id="dots"),
        pytest.param("abcdefghjk\u212an", id="kelvin-sign-is-no-k"),
        pytest.param("abcdefghjkm\u0131", id="dotless-i"),
        pytest.param("a" * 12 + "-" * 100, id="too-long-to-be-typed"),
    ],
)
def test_what_cannot_be_a_code(typed: str) -> None:
    assert normalise_short_code(typed) is None
