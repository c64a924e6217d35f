"""The console's navigation: which pages each role sees in the header."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str
    roles: tuple[str, ...]


NAV: tuple[NavItem, ...] = (
    NavItem("/konsol", "Beranda", ("admin", "issuer", "requester", "auditor")),
    NavItem("/konsol/terbitkan", "Terbitkan dokumen", ("issuer",)),
    NavItem("/konsol/massal", "Terbitkan massal", ("issuer",)),
    NavItem("/konsol/dokumen", "Dokumen", ("issuer", "requester", "auditor")),
    NavItem("/konsol/permohonan", "Permohonan", ("issuer", "requester", "auditor")),
    NavItem("/konsol/laporan", "Laporan JP", ("issuer", "requester", "auditor")),
    NavItem("/konsol/audit", "Audit", ("admin", "auditor")),
    NavItem("/konsol/pengaturan", "Pengaturan", ("admin",)),
)


def nav_for(role: str) -> tuple[NavItem, ...]:
    return tuple(item for item in NAV if role in item.roles)
