"""Work units (SKPD) and their heads, validated before anything is written.

A unit's head signs the unit's surat keterangan (:func:`head_signer`); a unit without a head has its
letters signed by the agency's signer of ``agency.toml``. The head is given whole or not at all:
name, NIP, rank and position are all printed under the signature.

Pure: no I/O and no clock; callers pass ``today`` in the configured timezone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from registry.domain.agency import Signer
from registry.domain.errors import InvalidInput
from registry.domain.nip import parse_employee_number
from registry.domain.numbering import parse_unit_code
from registry.domain.text import clean_text

__all__ = [
    "HeadDraft",
    "UnitDraft",
    "UnitHead",
    "ValidUnit",
    "head_signer",
    "parse_code",
    "validate_unit",
]

_HEAD_FIELDS = ("name", "nip", "rank", "position")


@dataclass(frozen=True)
class HeadDraft:
    name: str | None = None
    nip: str | None = None
    rank: str | None = None
    position: str | None = None


@dataclass(frozen=True)
class UnitDraft:
    code: str
    name: str
    head: HeadDraft | None = None


@dataclass(frozen=True)
class UnitHead:
    name: str
    nip: str  # 18 digits, no spaces
    employment: str  # read from the NIP's structure
    rank: str
    position: str


@dataclass(frozen=True)
class ValidUnit:
    code: str
    name: str
    head: UnitHead | None


def validate_unit(draft: UnitDraft, *, today: date) -> ValidUnit:
    code = parse_code(draft.code)
    return ValidUnit(
        code=code,
        name=clean_text(draft.name, "name", required=True),
        head=_head(draft.head, today),
    )


def parse_code(value: str | None) -> str:
    """A unit code as documents and API keys carry it (``DPUPR``, ``DPUPR-KB``)."""
    try:
        code = parse_unit_code((value or "").strip() or None)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="code") from None
    if code is None:
        raise InvalidInput("Kode unit wajib diisi", field="code")
    return code


def _head(draft: HeadDraft | None, today: date) -> UnitHead | None:
    if draft is None:
        return None
    values = {name: clean_text(getattr(draft, name), f"head.{name}") for name in _HEAD_FIELDS}
    if not any(values.values()):
        return None
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise InvalidInput(
            "Kepala unit harus lengkap (nama, NIP, pangkat, jabatan); belum diisi: "
            + ", ".join(f"head.{name}" for name in missing),
            field=f"head.{missing[0]}",
        )
    # Without a stated employment the NIP is read as PNS first: a unit's head holds a structural
    # post, which PPPK cannot (UU 20/2023), so the PNS reading is the right one for the rare
    # number that fits both structures.
    number = parse_employee_number(values["nip"], today=today, field="head.nip")
    return UnitHead(
        name=values["name"],
        nip=number.digits,
        employment=number.employment.value,
        rank=values["rank"],
        position=values["position"],
    )


def head_signer(head: UnitHead) -> Signer:
    """The head as the signer printed on the unit's surat keterangan."""
    return Signer(
        name=head.name,
        nip=head.nip,
        rank=head.rank,
        position=head.position,
        employment=head.employment,
    )
