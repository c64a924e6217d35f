"""DOCX templates: loading, sandboxed rendering with docxtpl, and the ``templates check`` report.

Templates are deployment configuration (``SATUPINTU_TEMPLATES_DIR``) and an administrator may edit
them, so they are rendered in a Jinja sandbox: a template cannot reach Python internals
(``{{ ''.__class__.__mro__ }}``), cannot change the context (immutable sandbox), and cannot print
a name the context lacks (``StrictUndefined``). Every such failure, and a file that is not a
usable DOCX, raises :class:`TemplateError`, a
:class:`~registry.domain.errors.ConfigurationError`: the fault is in the deployment's
templates, not in the caller's request (HTTP 503).

Values are autoescaped, so ``&``, ``<``, ``>`` and quotes in names and titles give valid XML.
"""

from __future__ import annotations

import functools
import hashlib
import io
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2 import Template as JinjaTemplate
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from registry.adapters import qr
from registry.adapters.agency_files import load_logo
from registry.domain.agency import AgencyIdentity
from registry.domain.content import (
    build_context,
    sample_content,
    template_name_for,
)
from registry.domain.errors import ConfigurationError
from registry.domain.kartu import KARTU_TEMPLATE, sample_card_context

__all__ = [
    "LOGO_HEIGHT",
    "QR_SIZE",
    "REPORT_TEMPLATES",
    "REQUIRED_NAMES",
    "TEMPLATE_SAMPLES",
    "ReportTemplate",
    "Template",
    "TemplateError",
    "TemplateReport",
    "TemplateSet",
    "check_templates",
    "render_docx",
]

#: Printed size of the QR code: 28 mm, above the 2.5 cm a phone camera needs at reading distance.
QR_SIZE = Mm(28)
LOGO_HEIGHT = Mm(22)

#: Each shipped template and the sample (type, path) it is checked with.
TEMPLATE_SAMPLES: Mapping[str, tuple[str, str | None]] = {
    "sttp.docx": ("sttp", None),
    "sertifikat.docx": ("sertifikat", None),
    "transkrip.docx": ("transkrip", None),
    "piagam.docx": ("piagam", None),
    "sk.docx": ("sk", None),
    "surat_keterangan_coaching.docx": ("surat_keterangan", "coaching"),
    "surat_keterangan_mentoring.docx": ("surat_keterangan", "mentoring"),
    "surat_keterangan_belajar_mandiri.docx": ("surat_keterangan", "belajar_mandiri"),
    "surat_keterangan_komunitas_belajar.docx": ("surat_keterangan", "komunitas_belajar"),
    "surat_keterangan_bimbingan_tempat_kerja.docx": ("surat_keterangan", "bimbingan_tempat_kerja"),
    "surat_keterangan.docx": ("surat_keterangan", "e_learning"),
}

#: What every template must print: without them a reader could not check the document, and the
#: BSrE sentence could not appear when the agency signs electronically.
REQUIRED_NAMES: Mapping[str, str] = {
    "number": "nomor dokumen",
    "qr": "kode QR",
    "short_url": "alamat verifikasi di samping kode QR",
    "bsre_sentence": "kalimat tanda tangan elektronik BSrE",
}


@dataclass(frozen=True)
class ReportTemplate:
    """A report printed from the registry's records: never numbered, so no number and no QR."""

    #: The sample context ``templates check`` renders it with.
    sample: Callable[[AgencyIdentity], dict[str, Any]]
    #: What it must print, as REQUIRED_NAMES is for documents.
    required: Mapping[str, str]


REPORT_TEMPLATES: Mapping[str, ReportTemplate] = {
    KARTU_TEMPLATE: ReportTemplate(
        sample_card_context,
        {
            "holder": "identitas pegawai",
            "rows": "baris kegiatan pengembangan kompetensi",
            "total_text": "jumlah JP setahun",
            "declaration": "pernyataan pegawai",
            "signer": "penanda tangan yang mengetahui",
        },
    ),
}


class TemplateError(ConfigurationError):
    """A template is unusable: unsafe, broken, or uses a name the context does not provide."""

    title = "Templat dokumen tidak valid"


class _Sandbox(ImmutableSandboxedEnvironment):
    """The Jinja sandbox templates run in; the images are opaque to templates.

    docxtpl compiles the XML of every part on every render, which is most of its time; the
    patched XML of a template is the same each time, so compiled templates are kept by source.
    """

    _CACHE_SIZE = 256

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: OrderedDict[str, JinjaTemplate] = OrderedDict()
        self._lock = threading.Lock()

    def from_string(  # type: ignore[override]
        self, source: str, globals: Any = None, template_class: Any = None
    ) -> JinjaTemplate:
        if globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        with self._lock:
            compiled = self._compiled.get(source)
            if compiled is not None:
                self._compiled.move_to_end(source)
                return compiled
        compiled = super().from_string(source)
        with self._lock:
            self._compiled[source] = compiled
            while len(self._compiled) > self._CACHE_SIZE:
                self._compiled.popitem(last=False)
        return compiled

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        # InlineImage holds the DocxTemplate (and through it the whole package): print it only.
        if isinstance(obj, InlineImage):
            return False
        return bool(super().is_safe_attribute(obj, attr, value))


_ENV = _Sandbox(autoescape=True, undefined=StrictUndefined)


@dataclass(frozen=True)
class Template:
    name: str
    sha256: str  # hex digest of data
    data: bytes = field(repr=False)


class TemplateSet:
    """The ``.docx`` files of one directory, read once and kept in memory."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        if not directory.is_dir():
            raise ConfigurationError(f"Direktori templat tidak ditemukan: {directory}")
        self._templates: dict[str, Template] = {}
        for path in sorted(directory.glob("*.docx")):
            if path.name.startswith("~$"):  # Word's lock file while a template is open
                continue
            data = path.read_bytes()
            self._templates[path.name] = Template(path.name, hashlib.sha256(data).hexdigest(), data)

    def names(self) -> list[str]:
        return sorted(self._templates)

    def get(self, name: str) -> Template:
        try:
            return self._templates[name]
        except KeyError:
            raise ConfigurationError(
                f"Templat {name!r} tidak ditemukan di {self.directory}"
            ) from None

    def for_document(self, type: str, path: str) -> Template:
        return self.get(template_name_for(type, path))


def _describe(exc: JinjaTemplateError) -> str:
    if isinstance(exc, SecurityError):
        return f"templat mencoba mengakses bagian dalam Python yang tidak diizinkan ({exc})"
    if isinstance(exc, UndefinedError):
        return f"templat memakai nama yang tidak tersedia dalam konteks ({exc})"
    if isinstance(exc, TemplateSyntaxError):
        return f"sintaks templat rusak pada baris {exc.lineno}: {exc.message}"
    return f"templat gagal dirender ({exc})"


class _Template(DocxTemplate):  # type: ignore[misc]
    """docxtpl cleans each part's XML with regular expressions on every render (~7 ms); the
    XML of a template part is the same every time, so the cleaned text is kept (docxtpl's
    ``patch_xml`` reads nothing but its argument)."""

    def patch_xml(self, src_xml: str) -> str:
        return _patched(src_xml)


@functools.lru_cache(maxsize=64)
def _patched(src_xml: str) -> str:
    patched: str = DocxTemplate.patch_xml(None, src_xml)
    return patched


def render_docx(
    template: bytes, context: Mapping[str, Any], *, qr_png: bytes | None, logo_png: bytes
) -> bytes:
    """Render ``template`` with ``context`` and the images ``qr`` and ``logo``; return the DOCX.

    A report (``REPORT_TEMPLATES``) is no numbered document and has no QR: ``qr_png=None``.
    """
    try:
        doc = _Template(io.BytesIO(template))
        doc.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(f"Berkas templat bukan DOCX yang sah: {exc}") from exc
    values = dict(context)
    if qr_png is not None:
        values["qr"] = InlineImage(doc, io.BytesIO(qr_png), width=QR_SIZE, height=QR_SIZE)
    values["logo"] = InlineImage(doc, io.BytesIO(logo_png), height=LOGO_HEIGHT)
    try:
        doc.render(values, jinja_env=_ENV)
    except JinjaTemplateError as exc:
        raise TemplateError(f"Templat tidak dapat dipakai: {_describe(exc)}") from exc
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class TemplateReport:
    name: str
    sha256: str
    problems: list[str]  # the template cannot be used as it is
    warnings: list[str] = field(default_factory=list)  # worth a look, not blocking

    @property
    def ok(self) -> bool:
        return not self.problems


def _check_one(template: Template, identity: AgencyIdentity, logo: bytes) -> TemplateReport:
    sample = TEMPLATE_SAMPLES.get(template.name)
    report = REPORT_TEMPLATES.get(template.name)
    required: Mapping[str, str]
    qr_png: bytes | None
    if sample is not None:
        context = build_context(sample_content(*sample), identity)
        required, qr_png = REQUIRED_NAMES, qr.qr_png(context["verify_url"])
    elif report is not None:
        context, required, qr_png = report.sample(identity), report.required, None
    else:
        return TemplateReport(
            template.name,
            template.sha256,
            [],
            ["templat ini tidak dipakai oleh jenis dokumen mana pun (nama berkas tidak dikenal)"],
        )
    available = {*context, "logo"} if qr_png is None else {*context, "qr", "logo"}
    problems: list[str] = []
    try:
        used = DocxTemplate(io.BytesIO(template.data)).get_undeclared_template_variables(
            jinja_env=_ENV
        )
    except JinjaTemplateError as exc:
        return TemplateReport(template.name, template.sha256, [_describe(exc)])
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        return TemplateReport(template.name, template.sha256, [f"bukan DOCX yang sah: {exc}"])
    for name in sorted(used - available):
        problems.append(f"placeholder {{{{ {name} }}}} tidak ada dalam konteks")
    for name, meaning in required.items():
        if name not in used:
            problems.append(f"templat tidak mencetak {meaning} ({{{{ {name} }}}})")
    if not problems:
        try:
            render_docx(template.data, context, qr_png=qr_png, logo_png=logo)
        except TemplateError as exc:
            problems.append(exc.message)
    warnings = [] if "logo" in used else ["templat tidak mencetak logo instansi ({{ logo }})"]
    return TemplateReport(template.name, template.sha256, problems, warnings)


def check_templates(templates: TemplateSet, identity: AgencyIdentity) -> list[TemplateReport]:
    """Render every template with sample content; report what an administrator must fix.

    Every template the document types need is reported, a missing file as a problem.
    """
    logo = load_logo(identity)
    reports = []
    for name in sorted({*TEMPLATE_SAMPLES, *REPORT_TEMPLATES, *templates.names()}):
        try:
            template = templates.get(name)
        except ConfigurationError:
            reports.append(TemplateReport(name, "", ["berkas templat tidak ditemukan"]))
            continue
        reports.append(_check_one(template, identity, logo))
    return reports
