"""The console's navigation: which pages each role sees in the header."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    roles: tuple[str, ...]
    #: The page exists. The console is being built page by page; the header offers only pages
    #: that answer, never a link to a 404.
    built: bool = False


NAV: tuple[NavItem, ...] = (
    NavItem("/konsol", "Beranda", ("admin", "issuer", "requester", "auditor"), built=True),
    NavItem("/konsol/terbitkan", "Terbitkan dokumen", ("issuer",), built=True),
    NavItem("/konsol/massal", "Terbitkan massal", ("issuer",)),
    NavItem("/konsol/dokumen", "Dokumen", ("issuer", "requester", "auditor"), built=True),
    NavItem("/konsol/permohonan", "Permohonan", ("issuer", "requester"), built=True),
    NavItem("/konsol/laporan", "Laporan JP", ("issuer", "requester", "auditor"), built=True),
    NavItem("/konsol/audit", "Audit", ("admin", "auditor"), built=True),
    NavItem("/konsol/pengaturan", "Pengaturan", ("admin",), built=True),
)


def nav_for(role: str) -> tuple[NavItem, ...]:
    return tuple(item for item in NAV if item.built and role in item.roles)
