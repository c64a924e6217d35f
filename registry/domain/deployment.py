"""Development defaults that would end up signed on paper, said plainly at start-up.

A fresh install works out of the box: QR URLs point at ``http://127.0.0.1:8000`` and agency.toml
names "PEMERINTAH PROVINSI CONTOH" and "Nama Kepala Badan". Both are right for trying the service
and wrong on a document someone will carry away, because a printed QR and a printed signer cannot
be corrected later. :func:`deployment_warnings` names what still holds such a default.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from registry.domain.agency import DEFAULT_AGENCY_TOML, AgencyIdentity, parse_agency_toml

__all__ = ["PLACEHOLDER_IDENTITY", "deployment_warnings", "is_loopback_url"]

#: The identity agency.toml holds until someone edits it (the file written on first run).
PLACEHOLDER_IDENTITY = parse_agency_toml(DEFAULT_AGENCY_TOML, base_dir=Path("."))

# Only values no real agency can have: "BADAN PENGEMBANGAN SUMBER DAYA MANUSIA" or "BPSDM" are
# real names, "PEMERINTAH PROVINSI CONTOH" and the signer "Nama Kepala Badan" are not.
_PLACEHOLDER_FIELDS: tuple[tuple[str, Callable[[AgencyIdentity], str]], ...] = (
    ("[agency].government", lambda identity: identity.government_line),
    ("[agency].address", lambda identity: identity.address),
    ("[agency].city", lambda identity: identity.city),
    ("[signer].name", lambda identity: identity.signer.name),
    ("[signer].nip", lambda identity: identity.signer.nip),
    ("[signer].position", lambda identity: identity.signer.position),
)


def is_loopback_url(url: str) -> bool:
    """True when ``url`` names this machine only (127.0.0.0/8, ::1, localhost, 0.0.0.0)."""
    host = urlsplit(url).hostname
    if host is None:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def placeholder_fields(identity: AgencyIdentity) -> list[str]:
    """The agency.toml keys that still hold the example value of the file written on first run."""
    return [
        key for key, value in _PLACEHOLDER_FIELDS if value(identity) == value(PLACEHOLDER_IDENTITY)
    ]


def deployment_warnings(public_url: str, identity: AgencyIdentity) -> tuple[str, ...]:
    """Plain Indonesian warnings, one per default still in place; empty when configured.

    Computed once at start-up: the public URL and agency.toml are only read then.
    """
    warnings = []
    if is_loopback_url(public_url):
        warnings.append(
            f"Alamat publik untuk QR (SATUPINTU_PUBLIC_URL) adalah {public_url}, yang hanya "
            "terbuka di komputer server ini: QR pada dokumen yang terbit tidak dapat diperiksa "
            "dari ponsel atau komputer lain. Setel SATUPINTU_PUBLIC_URL ke alamat verifikasi "
            "publik instansi, lalu mulai ulang layanan."
        )
    placeholders = placeholder_fields(identity)
    if placeholders:
        warnings.append(
            f"agency.toml masih berisi nilai contoh ({', '.join(placeholders)}): dokumen terbit "
            "atas nama instansi dan pejabat contoh. Isi agency.toml di direktori data dengan data "
            "instansi yang sebenarnya, lalu mulai ulang layanan."
        )
    return tuple(warnings)
