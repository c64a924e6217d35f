"""JP compliance as pictures: SVG charts drawn on the server, so the console needs no script.

Two charts, each from plain data computed here from the report types of
:mod:`registry.domain.jp_reports`:

* :func:`compliance_chart`: one horizontal bar per unit, the share of its rostered employees at
  :data:`~registry.domain.jp_reports.MINIMUM_JP` or more, lowest first (the units to follow up);
* :func:`monthly_chart`: twelve columns, the JP counted in each calendar month of a year for one
  employee or one unit. A credit counts in the month its session or activity ended (the same
  rule that puts it in a year, ``CreditedDocument.credited_in``).

Accessibility (issue 9, WCAG AA): the ``<svg>`` is ``role="img"`` labelled by its ``<title>`` and
``<desc>``, which say in Indonesian what the chart shows, value by value, so a screen reader
loses nothing; every value is also printed beside its bar or above its column, so colour carries
no meaning of its own; text and bar colours are dark enough against white (4.5:1 for text, 3:1
for the bars). The chart scales to its container (``viewBox``, ``width="100%"``, capped at
:data:`MAX_WIDTH_PX`); the drawing is :data:`WIDTH` units wide and the smallest text is
:data:`SMALLEST_FONT` units, so it is still 12 px on a 360 px wide column of a phone.

Every text that comes from data (a unit's name) is escaped by :mod:`xml.etree.ElementTree`, and
characters XML cannot carry at all are dropped: a name ``<script>`` or ``A & B`` shows as typed.

Pure: no I/O and no clock.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from babel.dates import get_month_names

from registry.domain.credits import CreditedDocument
from registry.domain.formatting import number_id
from registry.domain.jp_reports import MINIMUM_JP, UnitReport

__all__ = [
    "EMPTY_TEXT",
    "MAX_WIDTH_PX",
    "MONTHS",
    "SMALLEST_FONT",
    "WIDTH",
    "MonthlyJp",
    "UnitCompliance",
    "compliance_chart",
    "monthly_chart",
    "monthly_jp",
    "monthly_jp_of_report",
    "percent_text",
    "unit_compliance",
]

#: Width of the drawing in SVG user units; the height follows the data.
WIDTH = 480
#: The widest the chart is drawn on a page, in CSS pixels (it shrinks below that).
MAX_WIDTH_PX = 720
#: Smallest font size used, in user units: 16 * 360 / 480 = 12 px on a 360 px wide container.
SMALLEST_FONT = 16
#: What a chart without data says.
EMPTY_TEXT = "Belum ada data"
#: Jan, Feb, Mar, Apr, Mei, Jun, Jul, Agu, Sep, Okt, Nov, Des (CLDR, via babel).
MONTHS: tuple[str, ...] = tuple(
    str(get_month_names("abbreviated", locale="id")[month]) for month in range(1, 13)
)
_MONTH_NAMES: tuple[str, ...] = tuple(
    str(get_month_names("wide", locale="id")[month]) for month in range(1, 13)
)

# Colours and their contrast against white (WCAG 2.1 relative luminance):
_TEXT = "#1f2937"  # 14.7:1
_MUTED = "#4b5563"  # 7.6:1, secondary text
_BAR = "#1d4ed8"  # 6.7:1, bars and columns (non-text: 3:1 needed)
_TRACK = "#e5e7eb"  # the empty part of a bar; decorative, its outline carries the shape
_OUTLINE = "#6b7280"  # 4.8:1
_REFERENCE = "#b45309"  # 5.0:1, the monthly reference line and its label
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', sans-serif"
_SVG_NS = "http://www.w3.org/2000/svg"
# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Rough width of one character at font size 1 (a sans-serif's average), to wrap long names.
_CHAR_WIDTH = 0.62  # DejaVu Sans, the widest of the usual fallbacks
_BOLD_CHAR_WIDTH = 0.7


# -- data ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCompliance:
    """How many of a unit's rostered employees met the yearly minimum."""

    unit_code: str
    unit_name: str
    met: int
    employees: int

    @property
    def share(self) -> Fraction | None:
        """``met / employees``; None for a unit with nobody on its roster."""
        return Fraction(self.met, self.employees) if self.employees else None


def unit_compliance(
    reports: Iterable[UnitReport], unit_names: Mapping[str, str] | None = None
) -> list[UnitCompliance]:
    """Per unit, the employees at 20 JP or more, lowest share first (then by name and code).

    A report of one unit counts as that unit, even with an empty roster (shown as "belum ada
    pegawai", after the others). A report over every unit (``unit_code`` None) is split by each
    employee's unit; its units are named from ``unit_names``, or by their code.
    """
    names = dict(unit_names or {})
    counts: dict[str, list[int]] = {}
    for report in reports:
        if report.unit_code is not None:
            counts.setdefault(report.unit_code, [0, 0])
            if report.unit_name:
                names.setdefault(report.unit_code, report.unit_name)
        for row in report.rows:
            code = report.unit_code or row.employee.unit_code or ""
            tally = counts.setdefault(code, [0, 0])
            tally[0] += row.met
            tally[1] += 1
    units = [
        UnitCompliance(code, names.get(code) or code or "Tanpa unit", met, employees)
        for code, (met, employees) in counts.items()
    ]

    def order(unit: UnitCompliance) -> tuple[bool, Fraction, str, str]:
        share = unit.share
        return (share is None, share or Fraction(0), unit.unit_name.casefold(), unit.unit_code)

    return sorted(units, key=order)


@dataclass(frozen=True)
class MonthlyJp:
    """The JP counted in each month of ``year``, January first."""

    year: int
    #: Whom the chart is about, as a sentence names them: "Siti Aminah", "Dinas Kesehatan".
    subject: str
    values: tuple[Decimal, ...]
    #: Employees summed (1 for one employee's chart): the reference line is their 20 JP a year.
    employees: int = 1

    def __post_init__(self) -> None:
        if len(self.values) != 12:
            raise ValueError("a year has 12 months")

    @property
    def total(self) -> Decimal:
        return sum(self.values, Decimal(0))

    @property
    def reference(self) -> Decimal:
        """The JP a month that reaches the yearly minimum of every employee counted, evenly."""
        return MINIMUM_JP * self.employees / 12


def monthly_jp(
    documents: Iterable[CreditedDocument], year: int, *, subject: str, employees: int = 1
) -> MonthlyJp:
    """JP per calendar month of ``year``: each credit in the month its entry ended.

    The months sum to what the documents count in the year (``credited_in``); a PPPK's yearly
    ceiling is already applied by the JP engine when the credits are fixed.
    """
    months = [Decimal(0)] * 12
    for document in documents:
        for credit in document.credits:
            if credit.last_date.year == year:
                months[credit.last_date.month - 1] += credit.jp
    return MonthlyJp(year, subject, tuple(months), employees)


def monthly_jp_of_report(report: UnitReport, *, subject: str | None = None) -> MonthlyJp:
    """JP per month summed over every employee of a unit report."""
    documents = (item.document for row in report.rows for item in row.documents)
    name = subject or report.unit_name or report.unit_code or "semua unit"
    return monthly_jp(documents, report.year, subject=name, employees=max(len(report.rows), 1))


# -- text ------------------------------------------------------------------------------------------


def percent_text(share: Fraction) -> str:
    """``66,7%``: one decimal, dropped when whole; never rounded up to 100% or down to 0%."""
    percent = Decimal(share.numerator * 100) / Decimal(share.denominator)
    rounded = percent.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if rounded == 100 and share < 1:
        rounded = Decimal("99.9")
    elif rounded == 0 and share > 0:
        rounded = Decimal("0.1")
    return f"{number_id(rounded.normalize())}%"


def _jp(value: Decimal) -> str:
    return number_id(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP).normalize())


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _wrap(text: str, font_size: int, width: float, *, bold: bool = False) -> list[str]:
    """Split ``text`` into at most two lines that fit ``width`` (estimated), the last one cut
    with "…" (the whole text is in the chart's ``<desc>``)."""
    max_lines = 2
    per_line = max(int(width / (font_size * (_BOLD_CHAR_WIDTH if bold else _CHAR_WIDTH))), 8)
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= per_line or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
    return [
        line if len(line) <= per_line else line[: per_line - 1].rstrip() + "…" for line in lines
    ]


# -- drawing ---------------------------------------------------------------------------------------


class _Svg:
    def __init__(self, *, id_prefix: str, title: str, description: str, height: float) -> None:
        self.root = ET.Element(
            "svg",
            {
                "xmlns": _SVG_NS,
                "viewBox": f"0 0 {WIDTH} {_n(height)}",
                "width": "100%",
                "role": "img",
                "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
                "font-family": _FONT,
                "style": f"max-width:{MAX_WIDTH_PX}px;height:auto;display:block",
            },
        )
        ET.SubElement(self.root, "title", id=f"{id_prefix}-title").text = _clean(title)
        ET.SubElement(self.root, "desc", id=f"{id_prefix}-desc").text = _clean(description)
        # The drawing repeats what title and desc say: screen readers read those only.
        self.drawing = ET.SubElement(self.root, "g", {"aria-hidden": "true"})
        ET.SubElement(
            self.drawing,
            "rect",
            x="0",
            y="0",
            width=str(WIDTH),
            height=_n(height),
            fill="#ffffff",
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        size: int = SMALLEST_FONT,
        fill: str = _TEXT,
        anchor: str = "start",
        bold: bool = False,
    ) -> None:
        attributes = {
            "x": _n(x),
            "y": _n(y),
            "font-size": str(size),
            "fill": fill,
            "text-anchor": anchor,
        }
        if bold:
            attributes["font-weight"] = "bold"
        ET.SubElement(self.drawing, "text", attributes).text = _clean(text)

    def rect(self, x: float, y: float, width: float, height: float, **style: str) -> None:
        attributes = {"x": _n(x), "y": _n(y), "width": _n(width), "height": _n(height)}
        attributes.update({name.replace("_", "-"): value for name, value in style.items()})
        ET.SubElement(self.drawing, "rect", attributes)

    def line(self, x1: float, y1: float, x2: float, y2: float, **style: str) -> None:
        attributes = {"x1": _n(x1), "y1": _n(y1), "x2": _n(x2), "y2": _n(y2)}
        attributes.update({name.replace("_", "-"): value for name, value in style.items()})
        ET.SubElement(self.drawing, "line", attributes)

    def heading(self, lines: Sequence[str]) -> float:
        """Draw the visible heading; returns the y below it."""
        y = 26.0
        for line in lines:
            self.text(_MARGIN, y, line, size=18, bold=True)
            y += 24
        return y + 4

    def empty(self, y: float, detail: str) -> None:
        self.text(WIDTH / 2, y + 40, EMPTY_TEXT, size=20, bold=True, anchor="middle")
        self.text(WIDTH / 2, y + 68, detail, fill=_MUTED, anchor="middle")

    def svg(self) -> str:
        return ET.tostring(self.root, encoding="unicode")


def _n(value: float) -> str:
    """A coordinate without float noise: ``12``, ``12.5``."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


_MARGIN = 12
_EMPTY_HEIGHT = 150


def compliance_chart(
    units: Sequence[UnitCompliance], year: int, *, id_prefix: str = "chart-kepatuhan"
) -> str:
    """Horizontal bars: per unit the share of employees at 20 JP or more, in the given order
    (:func:`unit_compliance` puts the lowest first)."""
    minimum = number_id(MINIMUM_JP)
    title = f"Pegawai yang mencapai minimal {minimum} JP per unit, tahun {year}"
    heading = _wrap(title, 18, WIDTH - 2 * _MARGIN, bold=True)
    if not units:
        svg = _Svg(
            id_prefix=id_prefix,
            title=title,
            description=f"{EMPTY_TEXT}: belum ada unit dengan daftar pegawai untuk tahun {year}.",
            height=_EMPTY_HEIGHT + 24 * len(heading),
        )
        svg.empty(svg.heading(heading), "Belum ada unit dengan daftar pegawai.")
        return svg.svg()

    label_width = 262  # room right of the bar for "99,9% · 999 dari 999 pegawai"
    track_width = WIDTH - 2 * _MARGIN - label_width
    rows = [
        (unit, _wrap(unit.unit_name, SMALLEST_FONT, WIDTH - 2 * _MARGIN, bold=True))
        for unit in units
    ]
    top = 30 + 24 * len(heading)
    height = top + sum(20 * len(name) + 40 for _, name in rows) + 8
    summary = "; ".join(f"{unit.unit_name}: {_share_sentence(unit)}" for unit in units)
    svg = _Svg(
        id_prefix=id_prefix,
        title=title,
        description=f"Persentase pegawai per unit yang mencapai minimal {minimum} JP pada "
        f"tahun {year}, dari yang terendah. {summary}.",
        height=height,
    )
    y = svg.heading(heading)
    for unit, name_lines in rows:
        for line in name_lines:
            y += 20
            svg.text(_MARGIN, y, line, bold=True)
        y += 8
        svg.rect(_MARGIN, y, track_width, 20, fill=_TRACK, stroke=_OUTLINE, stroke_width="1")
        share = unit.share
        if share:
            svg.rect(_MARGIN, y, float(share * track_width), 20, fill=_BAR)
        label = (
            "belum ada pegawai"
            if share is None
            else f"{percent_text(share)} · {unit.met} dari {unit.employees} pegawai"
        )
        svg.text(
            _MARGIN + track_width + 8, y + 15, label, fill=_TEXT if share is not None else _MUTED
        )
        y += 32
    return svg.svg()


def _share_sentence(unit: UnitCompliance) -> str:
    share = unit.share
    if share is None:
        return "belum ada pegawai di daftar"
    return f"{percent_text(share)} ({unit.met} dari {unit.employees} pegawai)"


def monthly_chart(data: MonthlyJp, *, id_prefix: str = "chart-jp-bulanan") -> str:
    """Twelve columns, January to December, the JP of each month printed above its column; a
    dashed line marks the JP a month that reaches the yearly minimum evenly."""
    title = f"JP per bulan, {data.subject}, tahun {data.year}"
    heading = _wrap(title, 18, WIDTH - 2 * _MARGIN, bold=True)
    if not data.total:
        svg = _Svg(
            id_prefix=id_prefix,
            title=title,
            description=f"{EMPTY_TEXT}: belum ada JP yang tercatat untuk {data.subject} "
            f"pada tahun {data.year}.",
            height=_EMPTY_HEIGHT + 24 * len(heading),
        )
        svg.empty(svg.heading(heading), f"Belum ada JP yang tercatat pada tahun {data.year}.")
        return svg.svg()

    plot_height = 200.0
    top = 30 + 24 * len(heading)
    values_room = 26  # the value printed above the tallest column
    baseline = top + values_room + plot_height
    minimum = number_id(MINIMUM_JP)
    target = (
        f"{minimum} JP setahun"
        if data.employees == 1
        else f"{minimum} JP setahun untuk {data.employees} pegawai"
    )
    # A unit's target ("... untuk 1234 pegawai") is too long for one line beside the key.
    legend_lines = _wrap(f"rata-rata yang diperlukan untuk {target}", SMALLEST_FONT, WIDTH - 48)
    height = baseline + 30 + 78 + 22 * (len(legend_lines) - 1)
    scale_max = max(max(data.values), data.reference)
    column_slot = (WIDTH - 2 * _MARGIN) / 12
    column_width = column_slot * 0.72
    reference = _jp(data.reference)
    each = ", ".join(
        f"{name} {_jp(value)}" for name, value in zip(_MONTH_NAMES, data.values, strict=True)
    )
    svg = _Svg(
        id_prefix=id_prefix,
        title=title,
        description=f"JP yang tercatat per bulan untuk {data.subject} pada tahun {data.year}, "
        f"total {_jp(data.total)} JP. {each}. Rata-rata {reference} JP per bulan diperlukan "
        f"untuk mencapai {target}.",
        height=height,
    )
    svg.heading(heading)
    for index, value in enumerate(data.values):
        x = _MARGIN + index * column_slot
        centre = x + column_slot / 2
        column_height = float(value / scale_max) * plot_height
        if value:
            svg.rect(
                centre - column_width / 2,
                baseline - column_height,
                column_width,
                column_height,
                fill=_BAR,
            )
        svg.text(
            centre,
            baseline - column_height - 6,
            _jp(value),
            anchor="middle",
            bold=bool(value),
            fill=_TEXT if value else _MUTED,
        )
        svg.text(centre, baseline + 22, MONTHS[index], anchor="middle")
    svg.line(_MARGIN, baseline, WIDTH - _MARGIN, baseline, stroke=_OUTLINE, stroke_width="1")
    reference_y = baseline - float(data.reference / scale_max) * plot_height
    svg.line(
        _MARGIN,
        reference_y,
        WIDTH - _MARGIN,
        reference_y,
        stroke=_REFERENCE,
        stroke_width="2",
        stroke_dasharray="6 4",
    )
    legend_y = baseline + 52
    svg.line(
        _MARGIN,
        legend_y - 5,
        _MARGIN + 28,
        legend_y - 5,
        stroke=_REFERENCE,
        stroke_width="2",
        stroke_dasharray="6 4",
    )
    svg.text(_MARGIN + 36, legend_y, f"{reference} JP per bulan", fill=_REFERENCE, bold=True)
    for index, line in enumerate(legend_lines, start=1):
        svg.text(_MARGIN + 36, legend_y + 22 * index, line, fill=_MUTED)
    total_y = legend_y + 50 + 22 * (len(legend_lines) - 1)
    svg.text(_MARGIN, total_y, f"Total {_jp(data.total)} JP", bold=True)
    return svg.svg()
