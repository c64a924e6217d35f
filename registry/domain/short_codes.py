"""The short code printed beside the QR, for people who type the address instead of scanning.

A code is 12 characters of Crockford's base32 alphabet in lower case (60 bits). People copy it by
hand, so what they type is read the way Crockford intended: any case, hyphens and spaces ignored,
and the look-alikes ``I``/``L`` read as ``1`` and ``O`` as ``0``. ``U`` is not in the alphabet (it
is left out so that codes cannot spell common obscenities), so a code with ``U`` is a typo.

Pure: no I/O, no randomness (the caller draws the characters from :data:`SHORT_CODE_ALPHABET`).
"""

from __future__ import annotations

from typing import Final

__all__ = ["SHORT_CODE_ALPHABET", "SHORT_CODE_LENGTH", "normalise_short_code"]

#: Crockford base32, lower case: the digits and the letters without i, l, o, u.
SHORT_CODE_ALPHABET: Final = "0123456789abcdefghjkmnpqrstvwxyz"
SHORT_CODE_LENGTH: Final = 12

_IN_ALPHABET: Final = frozenset(SHORT_CODE_ALPHABET)
_AS_TYPED: Final = str.maketrans({"i": "1", "l": "1", "o": "0", "-": None, " ": None, "\t": None})
# A longer input is not a mistyped code; refusing it early keeps the work per request tiny.
_MAX_TYPED: Final = 64


def normalise_short_code(typed: str) -> str | None:
    """The canonical spelling of a code as a person typed it, or ``None`` if it cannot be one.

    ``"ABCD-EFGH-JKMN"`` -> ``"abcdefghjkmn"``; ``"O1IL 2345 6789"`` -> ``"011123456789"``.
    """
    text = typed.strip()
    # Only ASCII: str.lower() would fold look-alikes such as the Kelvin sign into "k".
    if len(text) > _MAX_TYPED or not text.isascii():
        return None
    code = text.lower().translate(_AS_TYPED)
    if len(code) != SHORT_CODE_LENGTH or not _IN_ALPHABET.issuperset(code):
        return None
    return code
