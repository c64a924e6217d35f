"""How much work an uploaded list may cost before it is refused, in one place.

Sized from the largest real lists, then doubled or more: a batch of at most 5,000 participants
(:data:`registry.domain.batch_rows.MAX_ROWS`, real ones are under 2,000) and a unit roster of at
most 20,000 employees (:data:`registry.domain.roster_rows.MAX_ROWS`), each with at most ten known
columns plus a row counter. A roster of 20,000 rows with seven columns written by openpyxl is an
8.6 MB worksheet (about 60 bytes a cell) that deflates 14-fold; Excel's shared strings make it
smaller. Every limit is checked before the work it bounds: the zip's member sizes before anything
is decompressed (the central directory's sizes also bound what :mod:`zipfile` will inflate), rows
and cells while the first sheet is streamed, so a refusal never costs more than the limit.
The zip check lives here too (:func:`refuse_inflating`): it is nothing but these limits.
"""

from __future__ import annotations

import io
import zipfile

from registry.domain.errors import InvalidInput

# --- the XLSX zip, checked before openpyxl opens it ----------------------------------------------
#: One worksheet's XML: a 20,000-row roster with ten columns of long inline text is about 20 MB.
#: openpyxl streams it at about 10 MB of XML per CPU second, so this also bounds a refusal's cost.
MAX_SHEET_XML_BYTES = 32 * 2**20
#: The shared-strings table, which openpyxl loads whole into memory before the first row is read.
#: Distinct texts only: 20,000 names, NIPs and positions are about 3 MB.
MAX_SHARED_STRINGS_BYTES = 16 * 2**20
#: Every other part (styles, theme, workbook, drawings, images): real ones are kilobytes.
MAX_OTHER_PART_BYTES = 8 * 2**20
#: All parts together, other sheets included (openpyxl scans each sheet's size when opening).
MAX_UNCOMPRESSED_BYTES = 64 * 2**20
#: Spreadsheet XML deflates 5- to 20-fold; a part that shrank more than this is padding (a bomb)
#: once it is big enough to matter.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 2**20

# --- the table, checked while rows are streamed --------------------------------------------------
#: The header is the first non-empty row; a title or letterhead above it takes a few rows.
MAX_HEADER_ROW = 20
#: Ten known columns and a row counter; empty formatted columns beside them still fit.
MAX_COLUMNS = 50
#: Cells read, including the empty ones a row is padded with and one for every empty row: the
#: largest roster at the widest allowed row is 20,000 x 50.
MAX_CELLS = 1_000_000
#: One CSV line in characters: 50 columns of 1,000 characters are more than any list needs.
MAX_CSV_LINE_CHARS = 50_000


def refuse_inflating(data: bytes, label: str) -> None:
    """Refuse a zip whose parts would inflate past the limits, from its directory alone.

    :mod:`zipfile` never inflates a part past the size its directory declares, so checking the
    declared sizes bounds what openpyxl can read afterwards.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    total = 0
    for part in parts:
        total += part.file_size
        limit = _part_limit(part.filename)
        if part.file_size > limit:
            raise _too_big(label, f"bagian {part.filename} {_megabytes(part.file_size)}", limit)
        if total > MAX_UNCOMPRESSED_BYTES:
            what = f"semua bagian {_megabytes(total)}"
            raise _too_big(label, what, MAX_UNCOMPRESSED_BYTES)
        ratio = part.file_size // max(part.compress_size, 1)
        if part.file_size >= RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise InvalidInput(
                f"{label}: bagian {part.filename} dipadatkan secara tidak wajar ({ratio}:1) "
                "sehingga berkas tidak dibuka; simpan ulang daftar dari Excel sebagai .xlsx "
                "atau CSV UTF-8",
                field="file",
            )


def _too_big(label: str, what: str, limit: int) -> InvalidInput:
    return InvalidInput(
        f"{label}: isi berkas XLSX terlalu besar setelah dibuka ({what}, maks. "
        f"{_megabytes(limit)}); hapus lembar, gambar dan format yang tidak dipakai, atau simpan "
        "daftar sebagai CSV UTF-8",
        field="file",
    )


def _part_limit(name: str) -> int:
    lowered = name.lower()
    if "worksheets/" in lowered:
        return MAX_SHEET_XML_BYTES
    if "sharedstrings" in lowered:
        return MAX_SHARED_STRINGS_BYTES
    return MAX_OTHER_PART_BYTES


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.0f} MB"
