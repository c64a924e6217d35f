"""Text a person types to be printed or shown: names, titles, positions, unit names, reasons.

One rule for every path that takes such text (a single issue, batch and roster rows, requests,
units, console accounts), so a name refused in one place is not accepted in another:

* trimmed and normalised to NFC, then held to a length;
* no control characters (C0, C1; a newline only where the field is multi-line, never a tab);
* no bidirectional controls (Unicode's Bidi_Control set: U+061C, U+200E/U+200F,
  U+202A-U+202E, U+2066-U+2069): a right-to-left override makes the PDF print ``Bisang`` for a
  record holding ``\\u202egnasiB\\u202c``, so the paper and the register would disagree;
* no other invisible format characters (category Cf: zero-width space, word joiner, soft hyphen,
  byte order mark, ...), no line or paragraph separators, no private-use, surrogate or unassigned
  code points: each prints as nothing, or as whatever a font decides;
* at least one visible letter, digit, punctuation mark or symbol: a name of blank "letters"
  (the Hangul filler) or of combining marks alone prints as nothing.

ZWNJ and ZWJ (U+200C, U+200D) are refused too. They matter in Arabic and Indic scripts, but the
names, titles and positions on these documents are written in Latin script (Bahasa Indonesia);
here they can only be pasted noise or hide a difference between two names that look the same.

Pure: no I/O.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from registry.domain.errors import InvalidInput

__all__ = ["BIDI_CONTROLS", "MAX_TEXT", "clean_text", "optional_text", "refuse_hidden_characters"]

MAX_TEXT: Final = 200

#: Unicode's Bidi_Control property (PropList.txt), every one of them category Cf.
BIDI_CONTROLS: Final = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: Letters and symbols that are drawn as blank space.
_BLANK_GLYPHS: Final = frozenset("\u115f\u1160\u3164\uffa0\u2800")
#: Categories that never print as a visible mark: format, separators of lines and paragraphs,
#: private use, surrogates, unassigned.
_HIDDEN_CATEGORIES: Final = frozenset({"Cf", "Zl", "Zp", "Co", "Cs", "Cn"})


def clean_text(
    value: str | None,
    field_name: str,
    *,
    required: bool = False,
    limit: int = MAX_TEXT,
    multiline: bool = False,
    label: str | None = None,
) -> str:
    """``value`` trimmed and in NFC, or :class:`InvalidInput` naming ``field_name``.

    ``label`` is how a message names the field to a person (default: ``field_name``). Titles,
    casing and punctuation are kept as typed ("Dra. Siti Aminah, M.Si.", "A'an").
    """
    label = label or field_name
    text = unicodedata.normalize("NFC", (value or "").strip())
    if required and not text:
        raise InvalidInput(f"{label} wajib diisi", field=field_name)
    if len(text) > limit:
        raise InvalidInput(
            f"{label} terlalu panjang ({len(text)} karakter, maks. {limit})", field=field_name
        )
    refuse_hidden_characters(text, field_name, label=label, multiline=multiline)
    return text


def optional_text(value: str | None, field_name: str, *, limit: int = MAX_TEXT) -> str | None:
    return clean_text(value, field_name, limit=limit) or None


def refuse_hidden_characters(
    text: str, field_name: str, *, label: str | None = None, multiline: bool = False
) -> None:
    """Refuse text that would not print as it is stored (see the module docstring).

    ``label`` is how the message names the field to a person (default: ``field_name``).
    """
    label = label or field_name
    for char in text:
        code = f"U+{ord(char):04X}"
        if char in BIDI_CONTROLS:
            raise InvalidInput(
                f"{label} memuat karakter pengatur arah teks ({code}) yang membuat teks tercetak "
                "berbeda dari yang tersimpan; ketik ulang tanpa menyalin dari dokumen lain",
                field=field_name,
                character=code,
            )
        category = unicodedata.category(char)
        if category == "Cc" and not (multiline and char == "\n"):
            raise InvalidInput(
                f"{label} memuat karakter kendali ({code})", field=field_name, character=code
            )
        if category in _HIDDEN_CATEGORIES:
            raise InvalidInput(
                f"{label} memuat karakter tak terlihat ({code}); hapus lalu ketik ulang",
                field=field_name,
                character=code,
            )
    if text and not any(_visible(char) for char in text):
        raise InvalidInput(
            f"{label} tidak memuat huruf, angka, atau tanda yang terlihat", field=field_name
        )


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] in "LNPS" and char not in _BLANK_GLYPHS
