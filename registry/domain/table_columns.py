"""The columns a spreadsheet upload may carry: canonical names, Indonesian aliases, limits.

One description per kind of list (batch participants, unit rosters), read by the same reader
(:mod:`registry.adapters.spreadsheets`). Header names are case-insensitive, surrounding spaces are
ignored, and spaces, ``/`` or ``-`` inside a name count as ``_`` ("Unit Kerja" is ``unit_kerja``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from registry.domain.errors import InvalidInput

#: Key of the spreadsheet row number in the dicts the reader returns.
ROW = "row"
#: Headers of the usual row counter: read and dropped, whatever the list.
IGNORED_HEADERS = frozenset({"no", "nomor", "no_urut"})


@dataclass(frozen=True)
class ColumnSet:
    #: Canonical column -> Indonesian aliases (header names after :func:`header_name`).
    aliases: Mapping[str, tuple[str, ...]]
    required: tuple[str, ...]
    max_rows: int
    #: How a message names the list: "Daftar peserta", "Daftar pegawai".
    label: str
    #: The error for rows refused by the reader itself (a NIP Excel stored as a number, ...).
    invalid_rows: Callable[[list[dict[str, Any]]], InvalidInput]

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.aliases)

    @property
    def header_names(self) -> dict[str, str]:
        """Header name (after normalisation) -> canonical column."""
        return {name: column for column, names in self.aliases.items() for name in (column, *names)}


def header_name(value: str) -> str:
    return re.sub(r"[\s/\-]+", "_", value.strip().lower()).strip("_")
