"""What an uploaded PDF holds besides pages: active content, and how far its streams inflate.

Both are judged before a number is taken. Active content is refused, not stripped: the stamped
file is the signer's copy of what was sent, a stripped file would differ from it in ways nobody
reviewed, and "nothing active is left" is far easier to prove of a refusal than of a rewrite. The
person who sent it can save or print the document again without the scripts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.filters import decode_stream_data
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    PdfObject,
    StreamObject,
)

from registry.domain.errors import InvalidInput

#: Inflated bytes every stream of one upload may add up to. Scanned certificates and letters
#: (JPEG or Flate pages) stay far below it; a decompression bomb reaches it within a second.
MAX_INFLATED_BYTES = 200_000_000
#: Per upload byte, so a large honest file of Flate-compressed scans is not refused as a bomb.
MAX_INFLATION_RATIO = 40

# pypdf hands JBIG2 to an external program; images in it are bilevel scans, never inflated by us.
_EXTERNAL_DECODER = "/JBIG2Decode"


@dataclass(frozen=True)
class _Kind:
    what: str  # Indonesian, what was found
    advice: str  # Indonesian, how to send the document without it


_JAVASCRIPT = _Kind("JavaScript", "simpan ulang atau cetak ulang ke PDF tanpa skrip")
_LAUNCH = _Kind("perintah menjalankan program", "simpan ulang tanpa aksi tersebut")
_FORM_ACTION = _Kind("aksi pengiriman data formulir", "simpan ulang tanpa tombol kirim/impor")
_RICH_MEDIA = _Kind("media aktif", "simpan ulang tanpa media sematan")
_EMBEDDED = _Kind("berkas sematan", "simpan ulang tanpa lampiran, kirim lampiran terpisah")
_XFA = _Kind("formulir XFA", "cetak ulang ke PDF biasa (formulir diratakan)")

# Action types (/S) and annotation types (/Subtype) that run, fetch or carry something.
_ACTIONS = {
    "/JavaScript": _JAVASCRIPT,
    "/Launch": _LAUNCH,
    "/SubmitForm": _FORM_ACTION,
    "/ImportData": _FORM_ACTION,
    "/RichMediaExecute": _RICH_MEDIA,
}
_ANNOTATIONS = {"/FileAttachment": _EMBEDDED, "/RichMedia": _RICH_MEDIA}
# Keys whose mere presence carries active content (/JS: the script of an action or rendition).
_KEYS = {
    "/JS": _JAVASCRIPT,
    "/JavaScript": _JAVASCRIPT,  # the document-level name tree under /Names
    "/EmbeddedFiles": _EMBEDDED,
    "/EF": _EMBEDDED,
    "/RichMediaContent": _RICH_MEDIA,
    "/XFA": _XFA,
}
_RUNS_ON_EVENT = (_JAVASCRIPT, _LAUNCH, _FORM_ACTION)
# Where an action sits, named in the message so the sender knows what to look for.
_TRIGGERS = frozenset({"/OpenAction", "/AA", "/Names", "/A", "/Next", "/AcroForm", "/Annots"})


def check_content(reader: PdfReader, size: int) -> None:
    """Refuse active content anywhere in the file, then streams that inflate past the budget."""
    objects = list(_objects(reader))
    for obj, trigger in objects:
        _refuse_active(obj, trigger)
    _bound_inflation(
        (obj for obj, _ in objects if isinstance(obj, StreamObject)),
        budget=inflation_budget(size),
    )


def inflation_budget(size: int) -> int:
    """How many bytes the streams of an upload of ``size`` bytes may inflate to, together."""
    return max(MAX_INFLATED_BYTES, MAX_INFLATION_RATIO * size)


def _objects(reader: PdfReader) -> Iterator[tuple[PdfObject, str]]:
    """Every object once, reached from the trailer first (so it knows what triggers it), then
    any object only the cross-reference table lists (a viewer repairing the file may use it)."""
    seen: set[tuple[int, int]] = set()
    pending: list[tuple[PdfObject, str]] = [(reader.trailer, "")]
    listed = [
        IndirectObject(number, generation, reader)
        for generation, numbers in reader.xref.items()
        for number in numbers
    ] + [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    while pending or listed:
        reached, trigger = pending.pop() if pending else (listed.pop(), "")
        obj: PdfObject | None = reached
        if isinstance(reached, IndirectObject):
            key = (reached.idnum, reached.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = reached.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj, trigger
            for name, value in obj.items():
                # The outermost trigger names the place: a field's script is under /AcroForm.
                # An /OpenAction array is a destination (a page to show), not an action.
                triggers = not (name == "/OpenAction" and isinstance(value, ArrayObject))
                inner = name if not trigger and triggers and name in _TRIGGERS else trigger
                pending.append((value, inner))
        elif isinstance(obj, ArrayObject):
            pending.extend((value, trigger) for value in obj)


def _refuse_active(obj: PdfObject, trigger: str) -> None:
    if not isinstance(obj, DictionaryObject):
        return
    found: tuple[_Kind, str] | None = None
    action, subtype = obj.get("/S"), obj.get("/Subtype")
    if isinstance(action, NameObject) and action in _ACTIONS:
        found = _ACTIONS[action], action
    elif action == "/URI" and _is_script_uri(obj.get("/URI")):
        found = _JAVASCRIPT, "/JavaScript"  # a link a viewer would run, not open
    elif isinstance(subtype, NameObject) and subtype in _ANNOTATIONS:
        found = _ANNOTATIONS[subtype], subtype
    else:
        key = next((key for key in obj if key in _KEYS), None)
        if key is not None:
            found = _KEYS[key], key
    if found is None:
        return
    kind, name = found
    where = _where(kind, name, trigger)
    raise InvalidInput(
        f"PDF berisi {kind.what} ({where}); {kind.advice}, lalu unggah kembali",
        field="file",
        active_content=name.lstrip("/"),
        found_in=where,
    )


def _is_script_uri(uri: object) -> bool:
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    return isinstance(uri, str) and uri.strip().lower().startswith(("javascript:", "vbscript:"))


def _where(kind: _Kind, name: str, trigger: str) -> str:
    """``OpenAction``, ``AA`` (a page or field action), ``Names/JavaScript``, or the key itself."""
    if kind not in _RUNS_ON_EVENT or not trigger or trigger == name:
        return name.lstrip("/")
    if trigger == "/Names":
        return f"Names/{name.lstrip('/')}"
    return trigger.lstrip("/")


def _bound_inflation(streams: Iterator[StreamObject], *, budget: int) -> None:
    inflated = 0
    for stream in streams:
        try:
            inflated += _inflated_size(stream)
        except LimitReachedError:
            inflated = budget + 1  # one stream alone is past pypdf's own limit
        if inflated > budget:
            raise InvalidInput(
                "PDF mengembang terlalu besar saat dibuka (lebih dari "
                f"{budget // 1_000_000} MB; kemungkinan bom dekompresi); "
                "simpan ulang atau cetak ulang ke PDF, lalu unggah kembali",
                field="file",
                max_inflated_bytes=budget,
            )


def _inflated_size(stream: StreamObject) -> int:
    filters = stream.get("/Filter", ())
    if isinstance(filters, IndirectObject):
        filters = filters.get_object()
    chain = filters if isinstance(filters, ArrayObject) else [filters]
    if _EXTERNAL_DECODER in chain:
        return 0
    try:
        return len(decode_stream_data(stream))
    except NotImplementedError:
        return 0  # a filter no reader here decodes: nothing of it is ever inflated
