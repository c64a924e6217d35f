"""A report as a plain table, before any file format: what every CSV/XLSX export is made of.

The domain decides the columns and the cells; :mod:`registry.adapters.exports` writes them as CSV
or XLSX (and neutralises cells a spreadsheet would run as formulas). Cells are plain values: text,
whole numbers and exact decimals (JP) stay numbers, so an XLSX can sum them; ``None`` is an empty
cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["Cell", "ExportTable"]

Cell = str | int | Decimal | None


@dataclass(frozen=True)
class ExportTable:
    #: The sheet's name in an XLSX (at most 31 characters, as Excel allows).
    title: str
    #: The download's file name without its extension, e.g. ``jp-DPUPR-2026``.
    filename: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        if len(self.title) > 31:
            raise ValueError(f"sheet title longer than 31 characters: {self.title!r}")
        widths = {len(row) for row in self.rows}
        if widths - {len(self.header)}:
            raise ValueError("every row must have one cell per header column")

    @classmethod
    def of(
        cls, title: str, filename: str, header: Sequence[str], rows: Sequence[Sequence[Cell]]
    ) -> ExportTable:
        return cls(title, filename, tuple(header), tuple(tuple(row) for row in rows))
