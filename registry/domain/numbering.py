"""Number series: configuration, format templates and the rendering of a naskah dinas number.

A series is configured in TOML (``series.toml`` in the data dir, seeded from
``DEFAULT_SERIES_TOML``)::

    [series.sk]
    types = ["sk"]
    format = "{code}/{seq:04}/BPSDM/{month_roman}/{year}"
    code = "800.2.1"

Tokens: ``{seq}`` (zero padding as ``{seq:04}``), ``{year}``, ``{month}`` (``{month:02}``),
``{month_roman}``, ``{unit}``, ``{code}``. Sequences run per series per calendar year in the
configured timezone; allocation itself lives in ``registry.db``.
"""

from __future__ import annotations

import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from registry.domain.errors import ConfigurationError, InvalidInput

DOCUMENT_TYPES = ("sttp", "sertifikat", "transkrip", "piagam", "sk", "surat_keterangan")

TOKENS = frozenset({"seq", "year", "month", "month_roman", "unit", "code"})
_NUMERIC_TOKENS = frozenset({"seq", "year", "month"})
_PADDING_SPEC = re.compile(r"\A0?\d{0,2}\Z")
_UNIT_CODE = re.compile(r"\A[A-Z0-9][A-Z0-9.\-]{0,29}\Z")
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")

DEFAULT_SERIES_TOML = """\
# Number series of this registry. Each document type is served by exactly one series by default;
# a request may name another series that lists its type. Tokens: {seq} (padding: {seq:05}),
# {year}, {month} ({month:02}), {month_roman}, {unit}, {code}. Sequences restart each year.

[series.sttp]
types = ["sttp"]
format = "{seq:05}/STTP/BPSDM/{year}"

[series.sertifikat]
types = ["sertifikat"]
format = "{seq:05}/SERT/BPSDM/{year}"

[series.transkrip]
types = ["transkrip"]
format = "{seq:05}/TRANS/BPSDM/{year}"

[series.piagam]
types = ["piagam"]
format = "{seq:05}/PGM/BPSDM/{year}"

[series.sk]
types = ["sk"]
format = "{code}/{seq:04}/BPSDM/{month_roman}/{year}"
code = "800.2.1"

[series.surat_keterangan]
types = ["surat_keterangan"]
format = "{code}/{seq:04}/{unit}/{month_roman}/{year}"
code = "800.2.3"
"""


def roman_month(month: int) -> str:
    return _ROMAN[month - 1]


@dataclass(frozen=True)
class Series:
    id: str
    types: tuple[str, ...]
    format: str
    code: str | None = None

    @property
    def needs_unit(self) -> bool:
        return "unit" in template_fields(self.format)

    def render(self, seq: int, issued_on: date, unit_code: str | None) -> str:
        if self.needs_unit and not unit_code:
            raise InvalidInput(
                f"Seri nomor {self.id!r} memerlukan kode unit (unit_code)", field="unit_code"
            )
        return self.format.format(
            seq=seq,
            year=issued_on.year,
            month=issued_on.month,
            month_roman=roman_month(issued_on.month),
            unit=unit_code or "",
            code=self.code or "",
        )


def template_fields(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def validate_template(series_id: str, template: str, code: str | None) -> None:
    """Refuse templates that could do more than substitute the known tokens.

    ``str.format`` would otherwise follow ``{seq.__class__}`` into Python internals.
    """
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConfigurationError(f"Format seri {series_id!r} rusak: {exc}") from exc
    fields = set()
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in TOKENS:
            raise ConfigurationError(
                f"Format seri {series_id!r}: token tidak dikenal {{{field}}} "
                f"(yang dikenal: {', '.join(sorted(TOKENS))})"
            )
        if conversion or (spec and (field not in _NUMERIC_TOKENS or not _PADDING_SPEC.match(spec))):
            raise ConfigurationError(
                f"Format seri {series_id!r}: {{{field}}} hanya boleh diberi lebar angka, "
                "mis. {seq:04}"
            )
        fields.add(field)
    if "seq" not in fields:
        raise ConfigurationError(f"Format seri {series_id!r} harus memuat {{seq}}")
    if "year" not in fields:
        # Sequences restart each year: without the year two documents would share one number.
        raise ConfigurationError(f"Format seri {series_id!r} harus memuat {{year}}")
    if "code" in fields and not code:
        raise ConfigurationError(f"Seri {series_id!r} memakai {{code}} tetapi tidak punya 'code'")


@dataclass(frozen=True)
class SeriesCatalog:
    series: Mapping[str, Series]

    def for_type(self, document_type: str, series_id: str | None = None) -> Series:
        if series_id is not None:
            series = self.series.get(series_id)
            if series is None:
                raise InvalidInput(
                    f"Seri nomor tidak dikenal: {series_id!r} "
                    f"(yang tersedia: {', '.join(sorted(self.series))})",
                    field="series",
                )
            if document_type not in series.types:
                raise InvalidInput(
                    f"Seri {series_id!r} tidak melayani dokumen jenis {document_type!r}",
                    field="series",
                )
            return series
        for series in self.series.values():
            if document_type in series.types:
                return series
        raise InvalidInput(f"Tidak ada seri nomor untuk jenis {document_type!r}", field="type")


def parse_series_toml(text: str) -> SeriesCatalog:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(f"Berkas seri nomor tidak dapat dibaca: {exc}") from exc
    table = data.get("series")
    if not isinstance(table, dict) or not table:
        raise ConfigurationError("Berkas seri nomor harus memuat tabel [series.<id>]")
    catalog: dict[str, Series] = {}
    for series_id, entry in table.items():
        if not isinstance(entry, dict):
            raise ConfigurationError(f"Seri {series_id!r} harus berupa tabel")
        types = entry.get("types")
        template = entry.get("format")
        code = entry.get("code")
        if not isinstance(types, list) or not types or not all(t in DOCUMENT_TYPES for t in types):
            raise ConfigurationError(
                f"Seri {series_id!r}: 'types' harus daftar dari {', '.join(DOCUMENT_TYPES)}"
            )
        if not isinstance(template, str):
            raise ConfigurationError(f"Seri {series_id!r}: 'format' wajib diisi")
        if code is not None and not isinstance(code, str):
            raise ConfigurationError(f"Seri {series_id!r}: 'code' harus teks")
        validate_template(series_id, template, code)
        catalog[series_id] = Series(id=series_id, types=tuple(types), format=template, code=code)
    return SeriesCatalog(catalog)


def parse_unit_code(value: str | None) -> str | None:
    if value is None:
        return None
    if not _UNIT_CODE.match(value):
        raise InvalidInput(
            "Kode unit harus huruf besar, angka, titik atau tanda hubung (maks. 30), mis. DPUPR-KB",
            field="unit_code",
        )
    return value
