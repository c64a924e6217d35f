"""The issuing agency as printed on every document: kop, signer, logo, electronic-signature note.

It comes from configuration (``agency.toml`` in the data dir, seeded from
:data:`DEFAULT_AGENCY_TOML`), never from the templates, so one set of templates serves any agency
and changing the head of the agency is a configuration edit, not a template edit.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from registry.domain.errors import ConfigurationError
from registry.domain.jp import RULE_SETS

__all__ = [
    "DEFAULT_AGENCY_TOML",
    "AgencyIdentity",
    "Signer",
    "parse_agency_toml",
]

_MAX_TEXT = 300

DEFAULT_AGENCY_TOML = """\
# Identitas instansi penerbit: kop surat, penanda tangan dan logo yang dicetak pada setiap dokumen.
# PERHATIAN: semua nilai di bawah ini adalah CONTOH. Ganti dengan data instansi Anda sebelum
# menerbitkan dokumen sungguhan, lalu mulai ulang layanan.

[agency]
# Baris pemerintah daerah di kop surat (huruf kapital).
government = "PEMERINTAH PROVINSI CONTOH"
# Nama lengkap badan (huruf kapital) dan singkatannya.
name = "BADAN PENGEMBANGAN SUMBER DAYA MANUSIA"
short_name = "BPSDM"
# Alamat dan kontak di bawah nama badan pada kop surat.
address = "Jalan Contoh Nomor 1, Kota Contoh 00000"
phone = "(000) 0000000"
email = "bpsdm@contoh.go.id"
website = "bpsdm.contoh.go.id"
# Kota tempat dokumen ditetapkan ("Ditetapkan di ..." / "Kota Contoh, 3 Mei 2024").
city = "Kota Contoh"
# Berkas logo PNG atau JPEG, relatif terhadap direktori data. Hapus atau beri tanda # pada baris
# ini untuk memakai logo contoh bawaan (bukan lambang resmi).
# logo = "logo.png"
# true HANYA jika dokumen ditandatangani secara elektronik dengan sertifikat BSrE; kalimat
# tanda tangan elektronik BSrE hanya dicetak bila nilainya true.
bsre_signed = false

[signer]
# Pejabat penanda tangan (biasanya Kepala Badan). Nama ditulis lengkap dengan gelar.
name = "Nama Kepala Badan, S.H., M.Si."
nip = "196903091994032001"
# "pns" atau "pppk" (menentukan cara NIP dicetak).
employment = "pns"
rank = "Pembina Utama Muda (IV/c)"
position = "KEPALA BADAN PENGEMBANGAN SUMBER DAYA MANUSIA PROVINSI CONTOH"

# Dasar hukum yang dicetak pada surat keterangan, per aturan konversi JP. Tanpa bagian ini
# dipakai dasar hukum bawaan aturan tersebut.
# [legal_basis]
# "tangsel-2022" = ["Peraturan Wali Kota Tangerang Selatan Nomor 74 Tahun 2022 tentang ..."]
"""


@dataclass(frozen=True)
class Signer:
    name: str
    nip: str  # 18 digits, no spaces
    rank: str
    position: str
    employment: str = "pns"


@dataclass(frozen=True)
class AgencyIdentity:
    government_line: str
    name: str
    short_name: str
    address: str
    contact_line: str
    city: str
    signer: Signer
    logo_path: Path | None = None  # None: the shipped placeholder
    bsre_signed: bool = False
    #: Per JP rule set, the legal basis printed on surat keterangan (overrides the built-in one).
    legal_basis: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))


_AGENCY_KEYS = {
    "government": True,
    "name": True,
    "short_name": True,
    "address": True,
    "phone": False,
    "email": False,
    "website": False,
    "city": True,
    "logo": False,
    "bsre_signed": False,
}
_SIGNER_KEYS = {"name": True, "nip": True, "employment": False, "rank": True, "position": True}
_SECTIONS = {"agency": True, "signer": True, "legal_basis": False}


def _check_keys(table: Mapping[str, Any], known: Mapping[str, bool], where: str) -> None:
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ConfigurationError(
            f"agency.toml: kunci tidak dikenal {', '.join(repr(k) for k in unknown)} di {where} "
            f"(yang dikenal: {', '.join(known)})"
        )
    missing = [key for key, required in known.items() if required and key not in table]
    if missing:
        raise ConfigurationError(
            f"agency.toml: kunci wajib {', '.join(repr(k) for k in missing)} tidak ada di {where}"
        )


def _text(table: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ConfigurationError(f"agency.toml: {where}.{key} harus berupa teks")
    value = value.strip()
    if required and not value:
        raise ConfigurationError(f"agency.toml: {where}.{key} tidak boleh kosong")
    if len(value) > _MAX_TEXT or any(ord(char) < 32 for char in value):
        raise ConfigurationError(
            f"agency.toml: {where}.{key} terlalu panjang atau memuat karakter kendali"
        )
    return value


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ConfigurationError(f"agency.toml: [{key}] harus berupa tabel")
    return value


def _contact_line(agency: Mapping[str, Any]) -> str:
    parts = []
    for key, label in (("phone", "Telepon"), ("email", "Pos-el"), ("website", "Laman")):
        value = _text(agency, key, "[agency]", required=False)
        if value:
            parts.append(f"{label} {value}")
    return ", ".join(parts)


def _legal_basis(data: Mapping[str, Any]) -> Mapping[str, tuple[str, ...]]:
    table = _table(data, "legal_basis")
    result: dict[str, tuple[str, ...]] = {}
    for rule_set, items in table.items():
        if rule_set not in RULE_SETS:
            raise ConfigurationError(
                f"agency.toml: aturan JP tidak dikenal di [legal_basis]: {rule_set!r} "
                f"(pilihan: {', '.join(RULE_SETS)})"
            )
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise ConfigurationError(
                f"agency.toml: [legal_basis] {rule_set!r} harus daftar teks yang tidak kosong"
            )
        result[rule_set] = tuple(
            _text({"item": item}, "item", f"[legal_basis] {rule_set}") for item in items
        )
    return MappingProxyType(result)


def parse_agency_toml(text: str, *, base_dir: Path) -> AgencyIdentity:
    """Read ``agency.toml``; refuse missing, unknown or malformed keys with a clear message.

    The logo is only located here; :func:`registry.adapters.agency_files.read_agency` checks
    the file.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"agency.toml bukan TOML yang sah: {exc}") from exc
    _check_keys(data, _SECTIONS, "tingkat teratas")
    agency = _table(data, "agency")
    signer = _table(data, "signer")
    _check_keys(agency, _AGENCY_KEYS, "[agency]")
    _check_keys(signer, _SIGNER_KEYS, "[signer]")

    nip = _text(signer, "nip", "[signer]").replace(" ", "")
    if len(nip) != 18 or not nip.isascii() or not nip.isdigit():
        raise ConfigurationError("agency.toml: [signer].nip harus 18 digit angka")
    employment = _text(signer, "employment", "[signer]", required=False) or "pns"
    if employment not in ("pns", "pppk"):
        raise ConfigurationError("agency.toml: [signer].employment harus 'pns' atau 'pppk'")

    bsre = agency.get("bsre_signed", False)
    if not isinstance(bsre, bool):
        raise ConfigurationError("agency.toml: [agency].bsre_signed harus true atau false")

    logo_path = None
    logo = _text(agency, "logo", "[agency]", required=False)
    if logo:
        logo_path = (base_dir / logo).resolve()

    return AgencyIdentity(
        government_line=_text(agency, "government", "[agency]"),
        name=_text(agency, "name", "[agency]"),
        short_name=_text(agency, "short_name", "[agency]"),
        address=_text(agency, "address", "[agency]"),
        contact_line=_contact_line(agency),
        city=_text(agency, "city", "[agency]"),
        signer=Signer(
            name=_text(signer, "name", "[signer]"),
            nip=nip,
            rank=_text(signer, "rank", "[signer]"),
            position=_text(signer, "position", "[signer]"),
            employment=employment,
        ),
        logo_path=logo_path,
        bsre_signed=bsre,
        legal_basis=_legal_basis(data),
    )
