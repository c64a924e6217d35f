"""Type-specific document details: validated and normalised before any number is taken.

The result is plain JSON (decimals as strings) so it can be stored with the document and the file
re-rendered exactly later. Unknown keys are refused (a misspelt key would otherwise vanish from
the printed document without anyone noticing). Limits: short texts 500 characters, paragraphs
(Menimbang, Mengingat, diktum, uraian) 2000; at most 5000 lampiran rows, 200 sessions, 100 subjects.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from registry.domain.decimals import plain_decimal
from registry.domain.errors import InvalidInput
from registry.domain.formatting import predikat as predikat_for
from registry.domain.jp import DevelopmentPath, parse_path
from registry.domain.numbering import DOCUMENT_TYPES
from registry.domain.text import clean_text

__all__ = ["NONKLASIKAL_PATHS", "validate_details"]

SHORT = 500
LONG = 2000
MAX_APPENDIX = 5000
MAX_SESSIONS = 200
MAX_SUBJECTS = 100
MAX_PARAGRAPHS = 50

_P = DevelopmentPath
#: Non-classroom paths (DOMAIN.md "Development paths"): the ones a surat keterangan certifies.
NONKLASIKAL_PATHS = frozenset(
    {
        _P.COACHING,
        _P.MENTORING,
        _P.E_LEARNING,
        _P.PELATIHAN_JARAK_JAUH,
        _P.DETASERING,
        _P.OUTBOND,
        _P.PATOK_BANDING,
        _P.PERTUKARAN,
        _P.BELAJAR_MANDIRI,
        _P.KOMUNITAS_BELAJAR,
        _P.BIMBINGAN_TEMPAT_KERJA,
        _P.MAGANG,
        _P.FGD,
    }
)

Checker = Callable[[Any, str], Any]


def _text(limit: int = SHORT, *, newlines: bool = False) -> Checker:
    def check(value: Any, field: str) -> str:
        if not isinstance(value, str):
            raise InvalidInput(f"{field} harus berupa teks", field=field)
        if not value.strip():
            raise InvalidInput(f"{field} tidak boleh kosong", field=field)
        return clean_text(value, field, limit=limit, multiline=newlines)

    return check


def _decimal(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput(f"{field} harus berupa angka", field=field)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(
            f"{field} harus berupa angka (diterima {value!r})", field=field
        ) from None
    if not number.is_finite():
        raise InvalidInput(f"{field} harus berupa angka terhingga", field=field)
    return number


def _positive(value: Any, field: str) -> str:
    number = _decimal(value, field)
    if number <= 0 or number > 10_000:
        raise InvalidInput(f"{field} harus lebih dari 0 (dan paling banyak 10000)", field=field)
    return plain_decimal(number)


def _score(value: Any, field: str) -> str:
    number = _decimal(value, field)
    if not Decimal(0) <= number <= Decimal(100):
        raise InvalidInput(f"{field} harus antara 0 dan 100", field=field)
    return plain_decimal(number)


def _nip(value: Any, field: str) -> str:
    text = str(_text(40)(value, field)).replace(" ", "")
    if len(text) != 18 or not text.isascii() or not text.isdigit():
        raise InvalidInput(f"{field} harus 18 digit angka", field=field)
    return text


def _iso_date(value: Any, field: str) -> str:
    text = _text(10)(value, field)
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidInput(
            f"{field} harus tanggal berformat YYYY-MM-DD (diterima {text!r})", field=field
        ) from None


def _blank(value: Any) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, list | tuple | Mapping) and not value)


def _record(schema: Mapping[str, tuple[Checker, bool]]) -> Checker:
    """A mapping whose keys follow ``schema`` (name -> (checker, required))."""

    def check(value: Any, field: str) -> dict[str, Any]:
        if not isinstance(value, Mapping):
            raise InvalidInput(f"{field} harus berupa objek", field=field)
        unknown = sorted(str(k) for k in value if k not in schema)
        if unknown:
            raise InvalidInput(
                f"{field}: kunci tidak dikenal {', '.join(unknown)} "
                f"(yang dikenal: {', '.join(schema)})",
                field=f"{field}.{unknown[0]}",
            )
        result: dict[str, Any] = {}
        for key, (checker, required) in schema.items():
            item = value.get(key)
            if _blank(item):
                if required:
                    raise InvalidInput(f"{field}.{key} wajib diisi", field=f"{field}.{key}")
                continue
            result[key] = checker(item, f"{field}.{key}")
        return result

    return check


def _list(item: Checker, limit: int, *, required: bool = False) -> Checker:
    def check(value: Any, field: str) -> list[Any]:
        if not isinstance(value, list | tuple):
            raise InvalidInput(f"{field} harus berupa daftar", field=field)
        if required and not value:
            raise InvalidInput(f"{field} tidak boleh kosong", field=field)
        if len(value) > limit:
            raise InvalidInput(
                f"{field} terlalu banyak ({len(value)} butir, maks. {limit})", field=field
            )
        return [item(element, f"{field}[{index}]") for index, element in enumerate(value)]

    return check


def _subject(value: Any, field: str) -> dict[str, Any]:
    subject: dict[str, Any] = _record(
        {
            "name": (_text(), True),
            "jp": (_positive, True),
            "score": (_score, False),
            "predikat": (_text(50), False),
        }
    )(value, field)
    if "predikat" not in subject and "score" in subject:
        subject["predikat"] = predikat_for(Decimal(subject["score"]))
    return subject


_PERSON = _record({"name": (_text(), True), "nip": (_nip, False), "position": (_text(), False)})
_SESSION = _record({"date": (_iso_date, True), "topic": (_text(), False), "jp": (_positive, False)})


def _employment(value: Any, field: str) -> str:
    if value not in ("pns", "pppk"):
        raise InvalidInput(f"{field} harus 'pns' atau 'pppk'", field=field)
    return str(value)


_APPENDIX_ROW = _record(
    {
        "name": (_text(), True),
        "nip": (_nip, False),
        "employment": (_employment, False),
        "position": (_text(), False),
        "unit": (_text(), False),
        "remarks": (_text(), False),
    }
)
_PARAGRAPHS = _list(_text(LONG), MAX_PARAGRAPHS)

_COMMON: dict[str, tuple[Checker, bool]] = {
    "place": (_text(), False),
    "birth_place": (_text(100), False),
    "rank": (_text(100), False),
    "agency": (_text(), False),
    "predikat": (_text(50), False),
}
_SUBJECTS_REQUIRED = _list(_subject, MAX_SUBJECTS, required=True)

_SCHEMAS: dict[str, dict[str, tuple[Checker, bool]]] = {
    "sttp": {**_COMMON, "subjects": (_SUBJECTS_REQUIRED, False), "final_score": (_score, False)},
    "sertifikat": dict(_COMMON),
    "transkrip": {
        **_COMMON,
        "subjects": (_SUBJECTS_REQUIRED, True),
        "final_score": (_score, False),
    },
    "piagam": {**_COMMON, "achievement": (_text(200), True)},
    "sk": {
        **_COMMON,
        "about": (_text(), True),
        "considering": (_list(_text(LONG), 26, required=True), True),
        "legal_basis": (_list(_text(LONG), MAX_PARAGRAPHS, required=True), True),
        "noting": (_PARAGRAPHS, False),
        "decisions": (_list(_text(LONG), MAX_PARAGRAPHS, required=True), True),
        "appendix_title": (_text(), False),
        "appendix": (_list(_APPENDIX_ROW, MAX_APPENDIX), False),
    },
    "surat_keterangan": {
        **_COMMON,
        "sessions": (_list(_SESSION, MAX_SESSIONS), False),
        "coach": (_PERSON, False),
        "mentor": (_PERSON, False),
        # bimbingan di tempat kerja: the direct superior who guides (seed 002, bab IV no. 11)
        "supervisor": (_PERSON, False),
        "description": (_text(LONG, newlines=True), False),
        "legal_basis": (_list(_text(LONG), 20, required=True), False),
    },
}


def validate_details(type: str, path: str, details: Mapping[str, Any] | None) -> dict[str, Any]:
    """Check ``details`` for a document of ``type`` on ``path``; return the normalised dict.

    Raises :class:`InvalidInput` naming the offending field, e.g. ``details.subjects[2].jp``.
    """
    if type not in _SCHEMAS:
        raise InvalidInput(
            f"Jenis dokumen tidak dikenal: {type!r} (pilihan: {', '.join(DOCUMENT_TYPES)})",
            field="type",
        )
    development_path = parse_path(path)
    if type == "surat_keterangan" and development_path not in NONKLASIKAL_PATHS:
        raise InvalidInput(
            f"Surat keterangan hanya untuk jalur nonklasikal; jalur {path!r} bukan nonklasikal "
            f"(pilihan: {', '.join(sorted(NONKLASIKAL_PATHS))})",
            field="activity.path",
        )
    result: dict[str, Any] = _record(_SCHEMAS[type])(details or {}, "details")
    return result
