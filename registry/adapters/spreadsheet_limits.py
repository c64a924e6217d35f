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
from typing import Any
from xml.parsers import expat

from registry.domain.errors import InvalidInput
from registry.domain.formatting import number_id

# --- the XLSX zip, checked before openpyxl opens it ----------------------------------------------
#: One worksheet's XML: a 20,000-row roster with ten columns of long inline text is about 20 MB.
#: openpyxl streams it at about 10 MB of XML per CPU second, so this also bounds a refusal's cost.
MAX_SHEET_XML_BYTES = 32 * 2**20
#: The shared-strings table, which openpyxl loads whole into memory before the first row is read.
#: Distinct texts only: 20,000 names, NIPs and positions are about 3 MB.
MAX_SHARED_STRINGS_BYTES = 16 * 2**20
#: Every other part (styles, theme, workbook, drawings, images): real ones are kilobytes, a
#: workbook with thousands of cell formats a few MB. openpyxl parses styles whole: 7 MB of them
#: took 226 MB of memory, so this stays low.
MAX_OTHER_PART_BYTES = 4 * 2**20
#: All parts together, other sheets included (openpyxl scans each sheet's size when opening).
MAX_UNCOMPRESSED_BYTES = 64 * 2**20
#: Spreadsheet XML deflates 5- to 20-fold; a part that shrank more than this is padding (a bomb)
#: once it is big enough to matter.
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 2**20
#: Parts in the zip: a workbook has a dozen, plus one per sheet and picture. Each part is a
#: directory entry to walk and, for XML, a stream to scan: 60,000 empty parts fit in 8 MB and
#: took 3.9 s before this limit.
MAX_PARTS = 1_000

# --- the table, checked while rows are streamed --------------------------------------------------
#: The header is the first non-empty row; a title or letterhead above it takes a few rows.
MAX_HEADER_ROW = 20
#: Ten known columns and a row counter; empty formatted columns beside them still fit.
MAX_COLUMNS = 50
#: Cells read, including the empty ones a row is padded with and one for every empty row: the
#: largest roster at the widest allowed row is 20,000 x 50.
MAX_CELLS = 1_000_000
#: Cells one row may hold in the XML: Excel's column count. openpyxl parses a row whole, so a row
#: of a million cells all claiming column A (read as one) would be held in memory at once.
MAX_ROW_CELLS = 16_384
#: One CSV line in characters: 50 columns of 1,000 characters are more than any list needs.
MAX_CSV_LINE_CHARS = 50_000


def refuse_inflating(data: bytes, label: str) -> None:
    """Refuse a zip whose parts would inflate past the limits, from its directory alone.

    :mod:`zipfile` never inflates a part past the size its directory declares, so checking the
    declared sizes bounds what openpyxl can read afterwards. Then every XML part that may be a
    sheet (a hostile workbook may put its sheet anywhere) is streamed once through expat, which
    holds nothing, counting rows and cells: openpyxl builds each row whole before it yields it.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise InvalidInput(
                f"{label}: berkas XLSX memuat terlalu banyak bagian ({number_id(len(parts))}, "
                f"maks. {number_id(MAX_PARTS)}); simpan ulang daftar dari Excel sebagai .xlsx "
                "atau CSV UTF-8",
                field="file",
            )
        _refuse_sizes(parts, label)
        for part in parts:
            name = part.filename.lower()
            if name.endswith(".xml") and not _is_shared_strings(name):
                with archive.open(part) as stream:
                    _refuse_crowded_cells(stream, label)


def _refuse_sizes(parts: list[zipfile.ZipInfo], label: str) -> None:
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
    if _is_shared_strings(lowered):
        return MAX_SHARED_STRINGS_BYTES
    return MAX_OTHER_PART_BYTES


def _is_shared_strings(lowered_name: str) -> bool:
    return "sharedstrings" in lowered_name


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


def _refuse_crowded_cells(stream: Any, label: str) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    # [elements of rows and cells in the part, cells in the current row]
    counts = [0, 0]

    def start(name: str, _attributes: object) -> None:
        local = name.rpartition(" ")[2]
        if local == "row":
            counts[0] += 1
            counts[1] = 0
        elif local == "c":
            counts[0] += 1
            counts[1] += 1
            if counts[1] > MAX_ROW_CELLS:
                raise InvalidInput(
                    f"{label}: lembar kerja memuat baris dengan lebih dari "
                    f"{number_id(MAX_ROW_CELLS)} sel (batas Excel); buka di Excel lalu simpan "
                    "ulang sebagai .xlsx atau CSV UTF-8",
                    field="file",
                )
        if counts[0] > MAX_CELLS:
            raise InvalidInput(
                f"{label}: lembar kerja memuat lebih dari {number_id(MAX_CELLS)} sel; hapus baris "
                "dan kolom kosong di luar daftar, atau simpan sebagai CSV UTF-8",
                field="file",
            )

    parser.StartElementHandler = start
    parser.ParseFile(stream)
