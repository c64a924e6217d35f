"""From an allocated number to stored, signed files: DOCX from the template, PDF, QR, attestation.

No database here: the service calls :meth:`Production.plan` inside the transaction that takes the
number (so the exact template and every printed value are recorded with it), and
:meth:`Production.produce` outside any lock, because a conversion takes 100 ms or more.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from registry.adapters import pdf
from registry.adapters.agency_files import load_logo
from registry.adapters.docx_templates import TemplateSet, render_docx
from registry.adapters.files import FileStore
from registry.adapters.keystore import KeyRing
from registry.adapters.libreoffice import Converter
from registry.adapters.qr import qr_png
from registry.domain.agency import AgencyIdentity, Signer
from registry.domain.content import DocumentContent, build_context
from registry.domain.records import file_attestation_bytes

log = logging.getLogger("satupintu")

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MEDIA_TYPES = {"pdf": PDF, "docx": DOCX, "upload": PDF}
# The stored context carries the logo by hash so that re-rendering uses the logo of that day.
LOGO_KEY = "logo_sha256"


@dataclass(frozen=True)
class RenderPlan:
    template_name: str
    template_sha256: str
    context: dict[str, Any]


@dataclass(frozen=True)
class ProducedFile:
    kind: str
    sha256: str
    size: int
    media_type: str
    kid: str | None = None
    signature: bytes | None = None
    created: bool = True


@dataclass(frozen=True)
class FileFacts:
    """What the PDF's own metadata says about its document."""

    number: str
    verify_url: str
    title: str


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Production:
    def __init__(
        self,
        *,
        templates: TemplateSet,
        identity: AgencyIdentity,
        converter: Converter,
        store: FileStore,
        keyring: KeyRing,
    ) -> None:
        self.templates = templates
        self.identity = identity
        self.converter = converter
        self.store = store
        self.keyring = keyring
        self._logo_sha256 = store.put(load_logo(identity)).sha256
        # Templates and the logo are read for every document; their bytes never change under
        # their hash, so a copy kept here saves the database store two round trips a document.
        self._read_asset = lru_cache(maxsize=32)(store.read)
        self._stored_templates: set[str] = set()
        # Threads that only wait for LibreOffice; the converter itself limits how many convert.
        self._converting = ThreadPoolExecutor(
            max_workers=16, thread_name_prefix="satupintu-convert"
        )

    @property
    def issuer(self) -> str:
        """The issuer named in signed records and PDF metadata: ``short_name`` of agency.toml.

        Records already issued keep the issuer they were signed with (it is inside their signed
        bytes); only new records follow a change of agency.toml.
        """
        return self.identity.short_name

    @property
    def pdf_available(self) -> bool:
        return self.converter.available

    @property
    def pdf_unavailable_reason(self) -> str | None:
        return self.converter.unavailable_reason

    def keep_template(self, type: str, path: str) -> None:
        """Store the template a document of ``type`` and ``path`` is made from, once a process.

        Kept under its hash so an old document can be re-rendered after the template changed.
        Called before the numbering transaction uses a connection: the database store writes on a
        connection of its own, and taken under the counter lock it waited for the pool while every
        other issuer held a connection waiting for that lock.
        """
        template = self.templates.for_document(type, path)
        if template.sha256 not in self._stored_templates:
            self.store.put(template.data)
            self._stored_templates.add(template.sha256)

    def plan(self, content: DocumentContent, signer: Signer | None = None) -> RenderPlan:
        """The template and every printed value; ``signer`` replaces agency.toml's signer."""
        self.keep_template(content.type, content.path)
        template = self.templates.for_document(content.type, content.path)
        context = build_context(content, self.identity, signer)
        context[LOGO_KEY] = self._logo_sha256
        return RenderPlan(template.name, template.sha256, context)

    def render_docx(self, plan: RenderPlan) -> bytes:
        context = plan.context
        return render_docx(
            self._read_asset(plan.template_sha256),
            context,
            qr_png=qr_png(context["verify_url"]),
            logo_png=self._read_asset(context[LOGO_KEY]),
        )

    def render_report(self, template_name: str, context: Mapping[str, Any]) -> bytes:
        """A report's PDF (the Kartu Data): no number, no QR, no attestation, nothing stored.

        Raises ``ConversionError`` when LibreOffice is unavailable or the conversion fails.
        """
        template = self.templates.get(template_name)
        docx = render_docx(
            template.data, context, qr_png=None, logo_png=self._read_asset(self._logo_sha256)
        )
        return self.converter.convert(docx)

    def produce(
        self,
        document_id: uuid.UUID,
        plan: RenderPlan,
        facts: FileFacts,
        *,
        before_storing: Callable[[list[str]], None] = lambda hashes: None,
    ) -> list[ProducedFile]:
        """Render, convert and store; the final file (PDF, else DOCX) carries a signed attestation.

        ``before_storing`` is told the files' hashes before any of them is stored (announced, so
        a process killed before its record commits leaves files that can be found), once: the
        DOCX waits for its PDF so that one announcement covers both. Raises ``ConversionError``
        or a template error; whatever was stored is removed again, so a failure leaves no file
        without a record.
        """
        docx = self.render_docx(plan)
        if not self.converter.available:
            before_storing([sha256_of(docx)])
            return [self._store("docx", docx, document_id, sign=True)]
        conversion = self._converting.submit(self.converter.convert, docx)
        produced: list[ProducedFile] = []
        try:
            pdf_bytes = self.finish_pdf(conversion.result(), facts)
            before_storing([sha256_of(docx), sha256_of(pdf_bytes)])
            produced.append(self._store("docx", docx, document_id, sign=False))
            produced.append(self._store("pdf", pdf_bytes, document_id, sign=True))
        except BaseException:
            conversion.cancel()
            self.discard(produced)
            raise
        return produced

    def finish_pdf(self, data: bytes, facts: FileFacts) -> bytes:
        return pdf.with_metadata(
            data,
            number=facts.number,
            verify_url=facts.verify_url,
            kid=self.keyring.active().kid,
            title=facts.title,
            issuer=self.issuer,
        )

    def store_signed(self, kind: str, data: bytes, document_id: uuid.UUID) -> ProducedFile:
        return self._store(kind, data, document_id, sign=True)

    def store_plain(self, kind: str, data: bytes) -> ProducedFile:
        stored = self.store.put(data)
        return ProducedFile(
            kind, stored.sha256, stored.size, MEDIA_TYPES[kind], created=stored.created
        )

    def _store(self, kind: str, data: bytes, document_id: uuid.UUID, *, sign: bool) -> ProducedFile:
        stored = self.store.put(data)
        media_type = MEDIA_TYPES[kind]
        if not sign:
            return ProducedFile(
                kind, stored.sha256, stored.size, media_type, created=stored.created
            )
        key = self.keyring.active()
        signature = key.sign(file_attestation_bytes(document_id, stored.sha256, media_type))
        return ProducedFile(
            kind,
            stored.sha256,
            stored.size,
            media_type,
            kid=key.kid,
            signature=signature.value,
            created=stored.created,
        )

    def discard(self, files: list[ProducedFile]) -> None:
        """Remove files that were stored for a record that will now never be written."""
        # Content-addressed: a file that existed before belongs to another record too.
        for produced in files:
            if produced.created:
                self.store.remove(produced.sha256)

    def close(self) -> None:
        self._converting.shutdown(wait=True, cancel_futures=True)
        self.converter.close()
