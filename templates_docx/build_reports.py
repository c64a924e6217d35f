"""Report templates: printed from the registry's records, never numbered or stored.

``kartu_data.docx``: the Kartu Data Pengembangan Kompetensi of seed 002 (placeholders are the keys
of ``registry.domain.kartu.card_context``). A4 landscape, because the activity table has eight
columns; the table runs over as many pages as the year needs, its header row repeated.
"""

from __future__ import annotations

from typing import Any

from docx.enum.table import WD_ALIGN_VERTICAL, WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx_blocks import (
    CENTER,
    JUSTIFY,
    LEFT,
    RIGHT,
    SANS,
    add_row,
    add_run,
    insert_ordered,
    no_split,
    paragraph,
    paragraph_border,
    repeat_header,
    row_tag,
    shade,
    table,
    tag,
)
from docx_furniture import document, kop, page_number_fields

#: A4 landscape less the 2 cm left and 1.5 cm right margins.
WIDTH = 26.2
HEADER_FILL = "D9E2F3"
LABEL_FILL = "F2F2F2"
_BODY = 9.5
#: The declaration and the signatures: a size below the documents' 12 pt keeps a short card (no
#: activities, or one) on one page.
_TEXT = 11.0
_SMALL = 8.0

#: Section B: the seed's columns the registry can fill (see registry.domain.kartu), widths in cm.
ACTIVITY_COLUMNS = [
    ("No", 0.9),
    ("Nama Pengembangan Kompetensi", 7.0),
    ("Jenis Pengembangan Kompetensi", 3.6),
    ("Penyelenggara", 4.2),
    ("Tanggal Pelaksanaan (Tgl/Bln/Thn)", 2.9),
    ("JP", 1.3),
    ("Nomor dan Tanggal Sertifikat", 4.3),
    ("Tempat Terbit Sertifikat", 2.0),
]


def _section(doc: Any, title: str) -> None:
    paragraph(doc, title, bold=True, size=11, before=8, after=3, keep_next=True)


def _identity(doc: Any) -> None:
    """A. INFORMASI KEPEGAWAIAN: the seed's five rows, then position and unit, in two halves
    side by side, leaving the page to the activities."""
    _section(doc, "A. INFORMASI KEPEGAWAIAN")
    rows = [
        ("Nama Lengkap", "{{ holder.name }}"),
        ("{{ holder.nip_label }}", "{{ holder.nip_text }}"),
        ("{{ holder.rank_label }}", "{{ holder.rank }}"),
        ("Tempat Lahir/Tgl. Lahir", "{{ holder.birth_text }}"),
        ("Jenis Kelamin", "{{ holder.gender }}"),
        ("Jabatan", "{{ holder.position }}"),
        ("Unit Kerja", "{{ holder.unit }}"),
    ]
    half = [0.8, 4.9, WIDTH / 2 - 5.7]
    height = (len(rows) + 1) // 2
    t = table(doc, [*half, *half], rows=height, borders=True)
    for index, (label, value) in enumerate(rows):
        row = t.rows[index % height]
        no_split(row)
        no, name, text = row.cells[3 * (index // height) : 3 * (index // height) + 3]
        shade(no, LABEL_FILL)
        shade(name, LABEL_FILL)
        _cell_text(no, str(index + 1), align=CENTER, size=_BODY + 0.5)
        _cell_text(name, label, size=_BODY + 0.5)
        _cell_text(text, value, size=_BODY + 0.5, bold=index == 0)
    if len(rows) % 2:
        last = t.rows[height - 1].cells
        last[3].merge(last[5])


def _cell_text(cell: Any, text: str, **options: Any) -> Any:
    return paragraph(cell, text, **({"size": _BODY, "before": 1, "after": 1} | options))


def _activities(doc: Any) -> None:
    """B. INFORMASI PENGEMBANGAN KOMPETENSI: a row per document, the year's total at the end."""
    _section(doc, "B. INFORMASI PENGEMBANGAN KOMPETENSI")
    widths = [width for _, width in ACTIVITY_COLUMNS]
    t = table(doc, widths, borders=True)
    repeat_header(t.rows[0])
    no_split(t.rows[0])
    for cell, (title, _) in zip(t.rows[0].cells, ACTIVITY_COLUMNS, strict=True):
        shade(cell, HEADER_FILL)
        cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        paragraph(cell, title, align=CENTER, bold=True, size=_BODY, before=2, after=2)

    row_tag(t, widths, "{%tr for r in rows %}")
    row = add_row(t, widths)
    no_split(row)
    no, title, path, organizer, dates, jp, number, city = row.cells
    _cell_text(no, "{{ r.no }}", align=CENTER)
    _cell_text(title, "{{ r.title }}")
    _cell_text(path, "{{ r.path_label }}")
    paragraph(path, "{{ r.path_group }}", size=_SMALL, italic=True, after=1)
    _cell_text(organizer, "{{ r.organizer }}")
    _cell_text(dates, "{{ r.dates_text }}", align=CENTER)
    _cell_text(jp, "{{ r.jp_text }}", align=CENTER)
    paragraph(jp, "{{ r.printed_jp_text }}", align=CENTER, size=_SMALL)
    _cell_text(number, "{{ r.number }}")
    paragraph(number, "{{ r.issued_text }}", size=_SMALL + 0.5, after=1)
    _cell_text(city, "{{ r.city }}", align=CENTER)
    row_tag(t, widths, "{%tr endfor %}")

    row_tag(t, widths, "{%tr if not rows %}")
    empty = add_row(t, widths)
    merged = empty.cells[0].merge(empty.cells[-1])
    paragraph(
        merged,
        "Tidak ada kegiatan pengembangan kompetensi yang tercatat pada tahun {{ year }}.",
        align=CENTER,
        italic=True,
        size=_BODY,
        before=4,
        after=4,
    )
    row_tag(t, widths, "{%tr endif %}")

    total = add_row(t, widths)
    no_split(total)
    label = total.cells[0].merge(total.cells[4])
    shade(label, LABEL_FILL)
    _cell_text(label, "Jumlah JP Tahun {{ year }}", align=RIGHT, bold=True)
    shade(total.cells[5], LABEL_FILL)
    _cell_text(total.cells[5], "{{ total_jp_text }}", align=CENTER, bold=True)
    rest = total.cells[6].merge(total.cells[7])
    shade(rest, LABEL_FILL)
    _cell_text(rest, "")

    tag(doc, "{%p if any_printed_jp %}")
    paragraph(
        doc,
        "JP: jam pelajaran yang diakui pada tahun {{ year }}. Angka dalam kurung adalah JP yang "
        "tercetak pada dokumen, bila berbeda karena batas pengakuan JP atau karena kegiatan "
        "berlangsung melewati pergantian tahun.",
        size=_SMALL,
        italic=True,
        before=2,
    )
    tag(doc, "{%p endif %}")
    # Two tables with nothing between them are one table to Word and LibreOffice: without this
    # paragraph the closing block would join the activity table (under its repeated header).
    paragraph(doc, "", size=2)


def _closing(doc: Any) -> None:
    """C, the declaration and the two signatures, as one block that never splits: the yearly
    total stays with its header row and with the declaration, and the signatures never part
    from the declaration. A block is the one row (which may not split) of a one-cell table."""
    cell = _block(doc)
    _yearly_total(cell)
    paragraph(cell, "{{ declaration }}", align=JUSTIFY, size=_TEXT, before=6, after=6)
    _signatures(cell)


def _block(doc: Any) -> Any:
    outer = table(doc, [WIDTH])
    no_split(outer.rows[0])
    _no_cell_margins(outer)
    return outer.rows[0].cells[0]


def _no_cell_margins(t: Any) -> None:
    """Content of a layout table lines up with the page margin, as the tables around it do."""
    for margin in t._tbl.tblPr.find(qn("w:tblCellMar")):
        margin.set(qn("w:w"), "0")


def _nested_table(cell: Any, widths: list[float], rows: int, **options: Any) -> Any:
    """A table inside ``cell``; the empty paragraph Word requires after it is made 2 pt high,
    so that it takes no line of the page."""
    t = table(cell, widths, rows=rows, **options)
    mark = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    insert_ordered(cell.paragraphs[-1]._p.get_or_add_pPr(), mark)
    return t


def _yearly_total(cell: Any) -> None:
    """C. JUMLAH JAM PELATIHAN TAHUNAN: the seed's No / Tahun / Jumlah table, for one year."""
    _section(cell, "C. JUMLAH JAM PELATIHAN TAHUNAN")
    widths = [0.9, 3.0, 8.0]
    t = _nested_table(cell, widths, 2, borders=True, align=WD_TABLE_ALIGNMENT.LEFT)
    for header, title in zip(t.rows[0].cells, ["No", "Tahun", "Jumlah Jam Pelatihan"], strict=True):
        shade(header, HEADER_FILL)
        paragraph(header, title, align=CENTER, bold=True, size=_BODY, before=2, after=2)
    for value, text in zip(t.rows[1].cells, ["1", "{{ year }}", "{{ total_text }}"], strict=True):
        _cell_text(value, text, align=CENTER, bold=text.startswith("{{ total"))


def _signatures(cell: Any) -> None:
    """Mengetahui (the unit head, else the agency's signer) at the left; the employee at the right.

    A row per line keeps the two names (and the two NIPs) level even when one position wraps
    and the other does not.
    """
    widths = [9.5, WIDTH - 19.0, 9.5]
    t = _nested_table(cell, widths, 5)
    lines = [
        ("", "{{ place_and_date }}", {}),
        ("Mengetahui,", "Pegawai yang melaporkan,", {}),
        # Room for the signature and the stamp.
        ("{{ signer.position }}", "{{ holder.position }}", {"after": 44}),
        ("{{ signer.name }}", "{{ holder.name }}", {"bold": True, "underline": True}),
        (
            "{{ signer.nip_label }}. {{ signer.nip_text }}",
            "{{ holder.nip_label }}. {{ holder.nip_text }}",
            {},
        ),
    ]
    for row, (left, right, options) in zip(t.rows, lines, strict=True):
        paragraph(row.cells[0], left, align=CENTER, size=_TEXT, **options)
        paragraph(row.cells[2], right, align=CENTER, size=_TEXT, **options)


def _footer(doc: Any) -> None:
    foot = doc.sections[0].footer
    foot.is_linked_to_previous = False
    first = foot.paragraphs[0]
    first.alignment = LEFT
    paragraph_border(first, "top", "single", 4, space=4, color="808080")
    add_run(first, "{{ footer_note }}", size=7.5, italic=True, font=SANS)
    page_number_fields(paragraph(foot, "", align=RIGHT, size=7.5, font=SANS), size=7.5)


def build_kartu() -> Any:
    doc = document(
        "kartu data pengembangan kompetensi", landscape=True, margins_cm=(1.0, 1.5, 1.3, 2.0)
    )
    doc.core_properties.title = "{{ title }} TAHUN {{ year }}: {{ holder.name }}"
    kop(doc, width_cm=WIDTH)
    paragraph(doc, "{{ title }}", align=CENTER, size=14, bold=True, before=4, spacing=1)
    paragraph(doc, "TAHUN {{ year }}", align=CENTER, size=12, bold=True, after=2)
    _identity(doc)
    _activities(doc)
    _closing(doc)
    _footer(doc)
    return doc
