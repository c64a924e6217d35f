"""Employee numbers of Indonesian civil servants: the PNS NIP and the NI PPPK.

Both are 18 digits and both start with the holder's birth date, but the rest differs:

* **NIP (PNS)**: birth date ``YYYYMMDD`` (8), TMT CPNS ``YYYYMM`` (6), gender (1), sequence (3),
  printed ``19850315 201001 1 012``.
* **NI PPPK**: birth date ``YYYYMMDD`` (8), year of appointment ``YYYY`` (4), a two-digit code (2),
  gender (1), sequence (3), printed ``19900913 2025 24 2 014``. Sources disagree on what the code
  means; it is *not* a month, so any two digits are accepted.

Each kind is validated by its own structure. A full number reveals birth date and gender (personal
data under UU 27/2022), so public pages show it through :func:`mask_nip`.

Pure: no I/O and no clock; callers pass ``today`` in the configured timezone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from registry.domain.errors import InvalidInput

__all__ = [
    "EmployeeNumber",
    "Employment",
    "format_nip",
    "mask_nip",
    "parse_employee_number",
    "typed_nip_digits",
]

NIP_LENGTH = 18
_DIGITS = frozenset("0123456789")

#: Oldest accepted birth year: generous, because old documents and retired signers still carry NIPs.
MIN_BIRTH_YEAR = 1940
#: Minimum age for appointment as ASN (and so for holding an employee number).
MIN_AGE = 17
#: PPPK appointments began in 2019 (first PPPK intake under PP 49/2018), so no NI PPPK is older.
FIRST_PPPK_YEAR = 2019


class Employment(StrEnum):
    PNS = "pns"
    PPPK = "pppk"


@dataclass(frozen=True)
class EmployeeNumber:
    digits: str  # the 18 digits
    employment: Employment
    birth_date: date
    appointment_year: int  # TMT CPNS year for PNS, year of appointment for PPPK
    appointment_month: int | None  # PNS only (TMT month); None for PPPK
    gender: int  # 1 or 2
    sequence: int


def _label(employment: Employment) -> str:
    return "NI PPPK" if employment is Employment.PPPK else "NIP"


def _normalise(value: str, label: str, field: str) -> str:
    """Remove spaces (as printed) and insist on exactly 18 ASCII digits."""
    digits = value.replace(" ", "")
    for position, char in enumerate(value, start=1):
        if char != " " and char not in _DIGITS:
            raise InvalidInput(
                f"{label} hanya boleh berisi angka 0-9 dan spasi "
                f"(ditemukan karakter {char!r} pada posisi {position})",
                field=field,
            )
    if len(digits) != NIP_LENGTH:
        raise InvalidInput(
            f"{label} harus {NIP_LENGTH} digit angka (diterima {len(digits)} digit)",
            field=field,
        )
    return digits


def _age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _birth_date(digits: str, label: str, today: date, field: str) -> date:
    raw = digits[0:8]
    shown = f"{raw[0:4]}-{raw[4:6]}-{raw[6:8]}"
    try:
        birth = date(int(raw[0:4]), int(raw[4:6]), int(raw[6:8]))
    except ValueError:
        message = f"Tanggal lahir pada {label} tidak valid: {shown}"
        raise InvalidInput(message, field=field) from None
    if birth.year < MIN_BIRTH_YEAR:
        raise InvalidInput(
            f"Tahun lahir pada {label} tidak boleh sebelum {MIN_BIRTH_YEAR} "
            f"(diterima {birth.year})",
            field=field,
        )
    if birth > today:
        raise InvalidInput(
            f"Tanggal lahir pada {label} berada di masa depan: {shown}",
            field=field,
        )
    age = _age_on(birth, today)
    if age < MIN_AGE:
        raise InvalidInput(
            f"Tanggal lahir pada {label} ({shown}) berarti usia {age} tahun pada "
            f"{today.isoformat()}; usia minimal {MIN_AGE} tahun",
            field=field,
        )
    return birth


def _gender_and_sequence(digits: str, label: str, field: str) -> tuple[int, int]:
    gender = digits[14]
    if gender not in ("1", "2"):
        raise InvalidInput(
            f"Digit jenis kelamin pada {label} harus 1 atau 2 (diterima {gender})",
            field=field,
        )
    sequence = digits[15:18]
    if sequence == "000":
        raise InvalidInput(
            f"Nomor urut pada {label} harus 001-999 (diterima {sequence})",
            field=field,
        )
    return int(gender), int(sequence)


def _parse_pns(digits: str, today: date, field: str) -> EmployeeNumber:
    label = _label(Employment.PNS)
    birth = _birth_date(digits, label, today, field)
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12:
        raise InvalidInput(
            f"Bulan TMT CPNS pada {label} harus 01-12 (diterima {digits[12:14]})",
            field=field,
        )
    if year < birth.year + MIN_AGE:
        raise InvalidInput(
            f"Tahun TMT CPNS pada {label} ({year}) harus paling cepat {MIN_AGE} tahun "
            f"setelah tahun lahir ({birth.year})",
            field=field,
        )
    if (year, month) > (today.year, today.month):
        raise InvalidInput(
            f"TMT CPNS pada {label} ({year:04d}-{month:02d}) berada di masa depan",
            field=field,
        )
    gender, sequence = _gender_and_sequence(digits, label, field)
    return EmployeeNumber(
        digits=digits,
        employment=Employment.PNS,
        birth_date=birth,
        appointment_year=year,
        appointment_month=month,
        gender=gender,
        sequence=sequence,
    )


def _parse_pppk(digits: str, today: date, field: str) -> EmployeeNumber:
    label = _label(Employment.PPPK)
    birth = _birth_date(digits, label, today, field)
    year = int(digits[8:12])
    # digits[12:14] is a two-digit code whose meaning sources disagree on; it is not a month, so
    # any two digits are accepted.
    if year < FIRST_PPPK_YEAR:
        raise InvalidInput(
            f"Tahun pengangkatan pada {label} harus {FIRST_PPPK_YEAR} atau sesudahnya, karena "
            f"PPPK baru diangkat sejak {FIRST_PPPK_YEAR} (diterima {year})",
            field=field,
        )
    if year < birth.year + MIN_AGE:
        raise InvalidInput(
            f"Tahun pengangkatan pada {label} ({year}) harus paling cepat {MIN_AGE} tahun "
            f"setelah tahun lahir ({birth.year})",
            field=field,
        )
    if year > today.year:
        raise InvalidInput(
            f"Tahun pengangkatan pada {label} ({year}) berada di masa depan",
            field=field,
        )
    gender, sequence = _gender_and_sequence(digits, label, field)
    return EmployeeNumber(
        digits=digits,
        employment=Employment.PPPK,
        birth_date=birth,
        appointment_year=year,
        appointment_month=None,
        gender=gender,
        sequence=sequence,
    )


def parse_employee_number(
    value: str,
    employment: Employment | None = None,
    *,
    today: date,
    field: str = "recipient.nip",
) -> EmployeeNumber:
    """Parse and validate a NIP (PNS) or NI PPPK; raise :class:`InvalidInput` on any refusal.

    Spaces (as printed) are removed; anything else that is not a digit is refused. With
    ``employment`` given, only that structure is checked. Without it, the number is read as a PNS
    NIP; if that fails but it is a valid NI PPPK, it is a PPPK number; if both fail, the PNS error
    is raised. A number valid under both structures (PPPK code 01-12) is read as PNS: callers that
    know the employment should pass it.
    """
    if employment is not None:
        employment = Employment(employment)
        digits = _normalise(value, _label(employment), field)
        if employment is Employment.PPPK:
            return _parse_pppk(digits, today, field)
        return _parse_pns(digits, today, field)

    digits = _normalise(value, _label(Employment.PNS), field)
    try:
        return _parse_pns(digits, today, field)
    except InvalidInput as pns_error:
        try:
            return _parse_pppk(digits, today, field)
        except InvalidInput:
            raise pns_error from None


def typed_nip_digits(value: str, *, field: str = "nip") -> str:
    """The 18 ASCII digits of a NIP or NI PPPK someone typed to compare with a document.

    Only the shape is checked, not the structure: the number is compared with a signed
    commitment, never stored, so a birth date or TMT check (which depends on "today" and on the
    employment) would only add ways to refuse the holder's own number. Full-width or Arabic-Indic
    digits are refused like any other character, as every other NIP field does.
    """
    trimmed = value.strip()
    if not trimmed:
        raise InvalidInput("NIP wajib diisi: ketik 18 digit angka NIP pada dokumen", field=field)
    return _normalise(trimmed, "NIP", field)


def mask_nip(digits: str) -> str:
    """Hide the 8 birth-date digits: ``198503152010011012`` -> ``********2010011012``.

    Spaces are removed first; anything other than 18 digits is refused rather than partly shown.
    """
    normalised = _normalise(digits, "NIP", "nip")
    return "*" * 8 + normalised[8:]


def format_nip(digits: str, employment: Employment | str = Employment.PNS) -> str:
    """Print as on documents: PNS ``19850315 201001 1 012``; PPPK ``19900913 2025 24 2 014``.

    The two structures cannot be told apart from the digits alone, so the caller says which (a
    parsed number carries it: ``format_nip(number.digits, number.employment)``). Spaces are
    ignored. Printing never refuses: anything other than 18 digits is returned unchanged rather
    than mis-grouped (every number reaching a document was validated before).
    """
    d = digits.replace(" ", "")
    if len(d) != NIP_LENGTH or not d.isascii() or not d.isdigit():
        return digits
    if employment == Employment.PPPK:
        return f"{d[0:8]} {d[8:12]} {d[12:14]} {d[14]} {d[15:18]}"
    return f"{d[0:8]} {d[8:14]} {d[14]} {d[15:18]}"
