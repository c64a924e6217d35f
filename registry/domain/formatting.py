"""Indonesian formatting for printed documents: long dates, numbers with words, predikat.

Conventions:

* dates as in naskah dinas: ``3 Mei 2024`` (babel, locale ``id``); spans use an en dash:
  ``1–3 Mei 2024``, ``28 Mei – 2 Juni 2024``, ``30 Desember 2024 – 2 Januari 2025``; a document
  prints a span through :func:`keep_on_one_line`, so that it never breaks as ``23–`` / ``27 ...``;
* decimals with the Indonesian comma and thousands with a dot: ``2,4``, ``1.500``;
* numbers in words (*terbilang*) via num2words ``lang="id"`` for the whole part; the fraction is
  read digit by digit after ``koma`` (``20,25`` -> ``dua puluh koma dua lima``), which is how
  Indonesian documents read decimals and what num2words itself does. Trailing zeros of the
  fraction are dropped first, so ``Decimal("24.0")`` reads ``dua puluh empat``, not
  ``dua puluh empat koma nol`` as num2words would say;
* JP as ``20 (dua puluh) JP``.

Pure: no I/O and no clock.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel.dates import format_date, format_datetime
from num2words import num2words

from registry.domain.decimals import plain_decimal
from registry.domain.errors import InvalidInput

__all__ = [
    "PREDIKAT_SCALE",
    "date_span",
    "jp_with_words",
    "keep_on_one_line",
    "long_date",
    "long_datetime",
    "number_id",
    "predikat",
    "terbilang",
    "without_lone_last_word",
]

_LOCALE = "id"
_DIGIT_WORDS = (
    "nol",
    "satu",
    "dua",
    "tiga",
    "empat",
    "lima",
    "enam",
    "tujuh",
    "delapan",
    "sembilan",
)

#: Default predikat scale (lower bound inclusive, score 0-100), after the bands LAN uses for
#: training results. A deployment with another scale passes ``predikat`` explicitly per subject.
PREDIKAT_SCALE: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "Sangat Memuaskan"),
    (Decimal(80), "Memuaskan"),
    (Decimal(70), "Baik"),
    (Decimal(60), "Cukup"),
    (Decimal(0), "Kurang"),
)


# A document prints about seven dates, and babel's formatting is a fifth of the CPU that building
# its render context costs (inside the numbering transaction); the same few dates recur.
@lru_cache(maxsize=4096)
def long_date(d: date) -> str:
    """``date(2024, 5, 3)`` -> ``3 Mei 2024``."""
    return str(format_date(d, "d MMMM y", locale=_LOCALE))


def long_datetime(moment: datetime, zone: tzinfo) -> str:
    """A moment as local time with the zone's Indonesian abbreviation (CLDR, via babel).

    ``2026-03-04 07:05 UTC`` in ``Asia/Makassar`` -> ``4 Maret 2026 pukul 15.05 WITA``; WIB for
    Asia/Jakarta and Asia/Pontianak, WIT for Asia/Jayapura. A naive moment is taken to be UTC,
    which is how the registry stores its timestamps. "pukul 15.05 WITA" is joined by no-break
    spaces so that a narrow screen never leaves the zone alone on a line.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    local = moment.astimezone(zone)
    clock = format_datetime(local, "'pukul' HH.mm zzz", locale=_LOCALE).replace(" ", "\u00a0")
    return f"{long_date(local.date())} {clock}"


@lru_cache(maxsize=4096)
def _day_month(d: date) -> str:
    return str(format_date(d, "d MMMM", locale=_LOCALE))


def date_span(start: date, end: date) -> str:
    """Print a period as compactly as the months and years allow (en dash between the ends)."""
    if end < start:
        raise InvalidInput(
            f"Tanggal selesai ({end.isoformat()}) tidak boleh sebelum tanggal mulai "
            f"({start.isoformat()}).",
            field="activity.end_date",
        )
    if start == end:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{long_date(end)}"
    if start.year == end.year:
        return f"{_day_month(start)} – {long_date(end)}"
    return f"{long_date(start)} – {long_date(end)}"


NO_BREAK_SPACE = "\u00a0"
#: Zero-width; forbids a line break on either side (Unicode line breaking class WJ). An en dash
#: allows a break after it, and a no-break space after a dash does not forbid that one.
WORD_JOINER = "\u2060"


def keep_on_one_line(text: str) -> str:
    """``23–27 November 2026`` as one unbreakable unit: no-break spaces, the en dash joined.

    For short phrases a reader must see whole (date spans); LibreOffice and Word honour both
    characters, and PDF text extraction reads the no-break space as a space.
    """
    return text.replace(" ", NO_BREAK_SPACE).replace("–", "–" + WORD_JOINER)


def without_lone_last_word(text: str) -> str:
    """Join the last two words with a no-break space: a wrapped heading or signer's position
    then never ends on one word alone (``... PROVINSI`` / ``CONTOH,``)."""
    head, space, last = text.rstrip().rpartition(" ")
    return f"{head}{NO_BREAK_SPACE}{last}" if space and head else text


def _as_decimal(value: Decimal | int | str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidInput(f"Bukan bilangan: {value!r}")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise InvalidInput(f"Bukan bilangan: {value!r}") from None
    if not number.is_finite():
        raise InvalidInput(f"Bukan bilangan terhingga: {value!r}")
    return number


def number_id(value: Decimal | int | str, places: int | None = None) -> str:
    """Indonesian notation: ``Decimal("2.4")`` -> ``2,4``; ``1500`` -> ``1.500``.

    With ``places``, the fraction is padded or rounded half-up to that many digits (scores are
    printed ``85,50``); without it, trailing zeros are dropped (``20.0`` -> ``20``).
    """
    number = _as_decimal(value)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")
        text = format(number.copy_abs() if number.is_zero() else number, "f")  # never "-0,00"
    else:
        text = plain_decimal(number)
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    grouped = ".".join(groups)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def terbilang(value: Decimal | int | str) -> str:
    """Words for a number >= 0: ``45`` -> ``empat puluh lima``; ``2.4`` -> ``dua koma empat``.

    The fraction is read digit by digit and trailing zeros are dropped (see the module docstring).
    """
    number = _as_decimal(value)
    if number < 0:
        raise InvalidInput(f"Terbilang hanya untuk bilangan tidak negatif (diterima {value})")
    whole, _, fraction = plain_decimal(number).partition(".")
    words = str(num2words(int(whole), lang=_LOCALE))
    if fraction:
        words += " koma " + " ".join(_DIGIT_WORDS[int(digit)] for digit in fraction)
    return words


def jp_with_words(jp: Decimal | int | str, unit: str = "JP") -> str:
    """``20`` -> ``20 (dua puluh) JP``; ``2.4`` -> ``2,4 (dua koma empat) JP``."""
    return f"{number_id(jp)} ({terbilang(jp)}) {unit}"


def predikat(score: Decimal | int | str) -> str:
    """The predikat of a 0-100 score under :data:`PREDIKAT_SCALE`."""
    number = _as_decimal(score)
    if not Decimal(0) <= number <= Decimal(100):
        raise InvalidInput(f"Nilai harus antara 0 dan 100 (diterima {number_id(number)})")
    for lower, label in PREDIKAT_SCALE:
        if number >= lower:
            return label
    raise AssertionError("unreachable: the scale ends at 0")  # pragma: no cover
