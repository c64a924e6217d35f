"""The naskah dinas templates: keputusan (SK) with its lampiran, and the surat keterangan."""

from __future__ import annotations

from typing import Any

from docx_blocks import (
    CENTER,
    JUSTIFY,
    add_row,
    label_table,
    no_split,
    paragraph,
    repeat_header,
    row_tag,
    shade,
    table,
    tag,
)
from docx_furniture import HOLDER_ROWS, WIDTH, closing, document, footer, kop, signature

# --- SK -----------------------------------------------------------------------------------------


def _clauses(doc: Any, label: str, items: str, widths: list[float], *, skip: bool = False) -> None:
    """Menimbang / Mengingat / Memperhatikan: the label on the first row, ``a.``/``1.`` labels."""
    t = table(doc, widths)
    paragraph(t.rows[0].cells[0], "{%tr for c in " + items + " %}", size=2)
    row = add_row(t, widths)
    no_split(row)
    first = "{% if loop.first %}" + label + "{% endif %}"
    paragraph(row.cells[0], first)
    paragraph(row.cells[1], "{% if loop.first %}:{% endif %}", align=CENTER)
    paragraph(row.cells[2], "{{ c.label }}")
    paragraph(row.cells[3], "{{ c.text }}", align=JUSTIFY, after=3)
    row_tag(t, widths, "{%tr endfor %}")
    if not skip:
        paragraph(doc, "", size=6)


def build_sk() -> Any:
    doc = document("SK")
    kop(doc)
    paragraph(doc, "{{ sk.decree_title }}", align=CENTER, bold=True, before=6)
    paragraph(doc, "NOMOR {{ number }}", align=CENTER, bold=True, before=2)
    paragraph(doc, "TENTANG", align=CENTER, bold=True, before=8)
    paragraph(doc, "{{ sk.about_upper }}", align=CENTER, bold=True, before=2, after=12)
    paragraph(doc, "{{ signer.position }},", align=CENTER, bold=True, after=12)
    widths = [3.2, 0.5, 0.8, WIDTH - 4.5]
    _clauses(doc, "Menimbang", "sk.considering", widths)
    _clauses(doc, "Mengingat", "sk.legal_basis", widths)
    tag(doc, "{%p if sk.noting %}")
    _clauses(doc, "Memperhatikan", "sk.noting", widths)
    tag(doc, "{%p endif %}")
    paragraph(doc, "MEMUTUSKAN:", align=CENTER, bold=True, before=6, after=8, spacing=2)
    decision_widths = [3.2, 0.5, WIDTH - 3.7]
    t = table(doc, decision_widths)
    paragraph(t.rows[0].cells[0], "Menetapkan")
    paragraph(t.rows[0].cells[1], ":", align=CENTER)
    paragraph(
        t.rows[0].cells[2],
        "{{ sk.decree_title }} TENTANG {{ sk.about_upper }}.",
        align=JUSTIFY,
        after=6,
    )
    row_tag(t, decision_widths, "{%tr for d in sk.decisions %}")
    row = add_row(t, decision_widths)
    no_split(row)
    paragraph(row.cells[0], "{{ d.label }}", bold=True)
    paragraph(row.cells[1], ":", align=CENTER)
    paragraph(row.cells[2], "{{ d.text }}", align=JUSTIFY, after=6)
    row_tag(t, decision_widths, "{%tr endfor %}")
    paragraph(doc, "", size=8)
    closing(doc, decree=True)
    build_appendix(doc)
    footer(doc, page_numbers=True)
    return doc


def build_appendix(doc: Any) -> None:
    """LAMPIRAN: the heading block at the right, then a table that runs over as many pages as
    the rows need, its header row repeated on each page."""
    tag(doc, "{%p if sk.appendix %}")
    paragraph(doc, "", size=2, page_break_before=True)
    widths = [6.5, 2.4, 0.4, WIDTH - 9.3]
    t = table(doc, widths, rows=4)
    lines = [
        ("LAMPIRAN", "{{ sk.decree_title }}"),
        ("NOMOR", "{{ number }}"),
        ("TANGGAL", "{{ issued_on_text }}"),
        ("TENTANG", "{{ sk.about_upper }}"),
    ]
    for index, (label, value) in enumerate(lines):
        cells = t.rows[index].cells
        paragraph(cells[1], label, size=10)
        paragraph(cells[2], ":", size=10)
        paragraph(cells[3], value, size=10)
    paragraph(doc, "", after=10)
    paragraph(doc, "{{ sk.appendix_title }}", align=CENTER, bold=True, after=2)
    paragraph(doc, "{{ sk.appendix_subtitle }}", align=CENTER, size=10, after=8)
    cols = [1.0, 4.6, 3.9, 3.6, 3.4]
    data = table(doc, cols, borders=True)
    repeat_header(data.rows[0])
    for cell, text in zip(
        data.rows[0].cells, ["No", "Nama", "NIP", "Jabatan", "Unit Kerja"], strict=True
    ):
        shade(cell, "D9E2F3")
        paragraph(cell, text, align=CENTER, bold=True, size=10, before=2, after=2)
    row_tag(data, cols, "{%tr for r in sk.appendix %}")
    row = add_row(data, cols)
    no_split(row)
    values = ["{{ r.no }}", "{{ r.name }}", "{{ r.nip_text }}", "{{ r.position }}", "{{ r.unit }}"]
    for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
        paragraph(cell, text, align=CENTER if index in (0, 2) else None, size=10, before=1, after=1)
    row_tag(data, cols, "{%tr endfor %}")
    paragraph(doc, "", after=12)
    sign = table(doc, [WIDTH - 9.0, 9.0])
    no_split(sign.rows[0])
    signature(sign.rows[0].cells[1], dated=False)
    tag(doc, "{%p endif %}")


# --- surat keterangan ---------------------------------------------------------------------------

_LETTER_BODIES = {
    "coaching": (
        "telah melaksanakan kegiatan pengembangan kompetensi jalur coaching dengan tema "
        "“{{ activity.title }}” bersama coach {{ coach.name }}"
        "{% if coach.position %}, {{ coach.position }}{% endif %}, pada tanggal "
        "{{ activity.date_span_text }}{% if sessions_count_text %} sebanyak "
        "{{ sessions_count_text }} pertemuan{% endif %}"
    ),
    "mentoring": (
        "telah melaksanakan kegiatan pengembangan kompetensi jalur mentoring dengan tema "
        "“{{ activity.title }}” bersama mentor {{ mentor.name }}"
        "{% if mentor.position %}, {{ mentor.position }}{% endif %}, pada tanggal "
        "{{ activity.date_span_text }}{% if sessions_count_text %} sebanyak "
        "{{ sessions_count_text }} pertemuan{% endif %}"
    ),
    "komunitas_belajar": (
        "telah mengikuti kegiatan pengembangan kompetensi jalur komunitas belajar "
        "(community of practice) “{{ activity.title }}”{% if activity.organizer %} yang "
        "diselenggarakan oleh {{ activity.organizer }}{% endif %}{% if activity.place %} di "
        "{{ activity.place }}{% endif %} pada tanggal {{ activity.date_span_text }}"
        "{% if sessions_count_text %} sebanyak {{ sessions_count_text }} pertemuan{% endif %}"
    ),
    # Seed 002 (bab IV no. 11): guidance by the direct superior, "dalam bentuk penugasan".
    "bimbingan_tempat_kerja": (
        "telah melaksanakan kegiatan pengembangan kompetensi jalur bimbingan di tempat kerja "
        "dalam bentuk penugasan “{{ activity.title }}”{% if supervisor.name %} dengan "
        "pembimbing {{ supervisor.name }}{% if supervisor.position %}, "
        "{{ supervisor.position }}{% endif %}{% endif %}, pada tanggal "
        "{{ activity.date_span_text }}{% if sessions_count_text %} sebanyak "
        "{{ sessions_count_text }} penugasan{% endif %}"
    ),
    "belajar_mandiri": (
        "telah melaksanakan kegiatan pengembangan kompetensi jalur belajar mandiri "
        "“{{ activity.title }}” ({{ activity.scope_label|lower }}) pada tanggal "
        "{{ activity.date_span_text }}"
    ),
    "": (
        "telah melaksanakan kegiatan pengembangan kompetensi jalur "
        "{{ activity.path_label|lower }} "
        "“{{ activity.title }}”{% if activity.organizer %} yang diselenggarakan oleh "
        "{{ activity.organizer }}{% endif %}{% if activity.place %} di {{ activity.place }}"
        "{% endif %} pada tanggal {{ activity.date_span_text }}{% if guide.name %} dengan "
        "pembimbing {{ guide.name }}{% endif %}"
    ),
}


#: The column that names what each row of a letter's sessions table was, per path.
_SESSION_COLUMNS = {"bimbingan_tempat_kerja": "Penugasan", "komunitas_belajar": "Topik Pertemuan"}


def sessions_table(doc: Any, intro: str | None = None, *, topic: str = "Materi/Topik") -> None:
    tag(doc, "{%p if sessions %}")
    if intro:
        paragraph(doc, intro, align=JUSTIFY, after=4, keep_next=True)
    widths = [1.0, 4.0, 9.5, 2.0]
    t = table(doc, widths, borders=True)
    repeat_header(t.rows[0])
    for cell, text in zip(t.rows[0].cells, ["No", "Tanggal", topic, "JP"], strict=True):
        shade(cell, "D9E2F3")
        paragraph(cell, text, align=CENTER, bold=True, size=11, before=1, after=1)
    row_tag(t, widths, "{%tr for s in sessions %}")
    row = add_row(t, widths)
    no_split(row)
    values = ["{{ s.no }}", "{{ s.date_text }}", "{{ s.topic }}", "{{ s.jp_text }}"]
    for index, (cell, text) in enumerate(zip(row.cells, values, strict=True)):
        paragraph(cell, text, align=None if index == 2 else CENTER, size=11, before=1, after=1)
    row_tag(t, widths, "{%tr endfor %}")
    paragraph(doc, "", size=6)
    tag(doc, "{%p endif %}")


def session_letter_body(doc: Any, path: str) -> None:
    """Komunitas belajar and bimbingan di tempat kerja: the coaching letter's shape (the
    sentence leads into the table of meetings or assignments), then the optional description,
    which these paths often carry (what the community shared, what the assignment produced)."""
    ending = "{% if sessions %}, dengan rincian sebagai berikut:{% else %}.{% endif %}"
    paragraph(doc, _LETTER_BODIES[path] + ending, align=JUSTIFY, before=8, after=6)
    sessions_table(doc, topic=_SESSION_COLUMNS[path])
    tag(doc, "{%p if description %}")
    paragraph(doc, "Uraian kegiatan: {{ description }}", align=JUSTIFY, after=6)
    tag(doc, "{%p endif %}")


def build_letter(path: str) -> Any:
    doc = document(f"surat keterangan {path or 'umum'}")
    kop(doc)
    paragraph(doc, "SURAT KETERANGAN", align=CENTER, size=14, bold=True, underline=True, before=6)
    paragraph(doc, "Nomor: {{ number }}", align=CENTER, after=12)
    paragraph(doc, "Yang bertanda tangan di bawah ini:", after=4)
    signer_rows = [
        ("Nama", "{{ signer.name }}"),
        ("{{ signer.nip_label }}", "{{ signer.nip_text }}"),
        ("Pangkat, Golongan/Ruang", "{{ signer.rank }}"),
        ("Jabatan", "{{ signer.position_title }}"),
    ]
    widths = (5.0, 0.5, 10.0)
    label_table(doc, signer_rows, widths_cm=widths, indent_cm=0.0)
    paragraph(doc, "menerangkan bahwa:", before=8, after=4)
    holder_rows = [HOLDER_ROWS[0], HOLDER_ROWS[1], HOLDER_ROWS[3], HOLDER_ROWS[4], HOLDER_ROWS[5]]
    label_table(doc, holder_rows, widths_cm=widths, value_bold=(0,))
    if path in ("coaching", "mentoring"):
        ending = "{% if sessions %}, dengan rincian sebagai berikut:{% else %}.{% endif %}"
        paragraph(doc, _LETTER_BODIES[path] + ending, align=JUSTIFY, before=8, after=6)
        sessions_table(doc)
    elif path in _SESSION_COLUMNS:
        session_letter_body(doc, path)
    else:
        paragraph(doc, _LETTER_BODIES[path] + ".", align=JUSTIFY, before=8, after=6)
        tag(doc, "{%p if description %}")
        paragraph(doc, "Uraian kegiatan: {{ description }}", align=JUSTIFY, after=6)
        tag(doc, "{%p endif %}")
        sessions_table(doc, "Rincian pelaksanaan kegiatan sebagai berikut:")
    paragraph(
        doc,
        "Sesuai dengan {{ legal_basis_text }}, kegiatan tersebut diakui setara dengan "
        "{{ jp_text_long }}.",
        align=JUSTIFY,
        after=6,
    )
    paragraph(
        doc,
        "Demikian surat keterangan ini dibuat untuk dipergunakan sebagaimana mestinya.",
        align=JUSTIFY,
        after=12,
        keep_next=True,  # never leave the signature alone on a page
    )
    closing(doc)
    footer(doc)
    return doc
