"""Documents in the console: the searchable list, a document's page, its QR code and its files.

Readers are those of the API: issuers and auditors every unit's documents, a requester only its
own unit's (the use case refuses the others). Revoking and replacing are in ``document_changes``.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any
from urllib.parse import urlencode

from anyio import to_thread
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from litestar.types import ControllerRouterHandler

from api.console.document_changes import DocumentChanges
from api.console.filters import typed_filters
from api.console.issue_pages import IssuePages
from api.console.pages import DOCUMENT_TYPE_LABELS
from api.console.rendering import page
from api.console.session import require_role
from api.downloads import StoredDownload, stored_download
from api.errors import status_of
from registry.adapters.qr import qr_png
from registry.domain.content import PATH_LABELS
from registry.domain.errors import InvalidInput, NotFound, RegistryError
from registry.domain.formatting import date_span, number_id
from registry.domain.nip import format_nip
from registry.domain.numbering import DOCUMENT_TYPES
from registry.usecases.accounts import UserView
from registry.usecases.audit_log import AUDIT_READERS, AuditFilter, AuditLog
from registry.usecases.issuing import STATUS_LABELS, Registry, SearchFilter
from registry.usecases.production import MEDIA_TYPES
from registry.usecases.units import Units

#: Who reads documents in the console: as in the API (a requester only its own unit's).
DOCUMENT_READERS = ("issuer", "requester", "auditor")
PAGE_SIZE = 25
#: The list's filters: query parameter -> what the person typed it as.
FILTERS = ("nomor", "nip", "nama", "tahun", "jenis", "status", "unit")
#: The notice a page shows after an action, by the short code of its redirect (never free text).
DONE_NOTICES = {
    "terbit": "Dokumen terbit. Buka PDF-nya atau bagikan tautan verifikasi di bawah.",
    "dicabut": "Dokumen dicabut. Halaman verifikasinya kini menyatakan DICABUT beserta alasannya.",
    "ganti": "Dokumen pengganti terbit dengan nomor baru; dokumen lama kini berstatus diganti.",
}
AUDIT_ACTIONS = {
    "document.issue": "Nomor diambil dan rekaman ditandatangani",
    "document.files": "Berkas dokumen dibuat",
    "document.revoke": "Dicabut",
    "document.supersede": "Diganti oleh dokumen lain",
    "document.void": "Dibatalkan",
}


class DocumentFiles(Controller):
    path = "/dokumen"
    include_in_schema = False

    @get("/", name="console-documents")
    async def documents(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        """The documents a reader may see, newest first, filtered by the query, a page at a time."""
        require_role(user, *DOCUMENT_READERS)
        typed = typed_filters(request.query_params, dict.fromkeys(FILTERS, 100))
        units = []
        if user.role != "requester":
            units = await to_thread.run_sync(
                Units(registry.db, now=registry.now, today=registry.local_today).list_units,
                user.actor,
            )
        context: dict[str, Any] = {
            "typed": typed,
            "units": units,
            "type_labels": DOCUMENT_TYPE_LABELS,
            "status_choices": STATUS_LABELS,
            "documents": [],
            "refused": None,
            "refused_field": None,
            "page_number": 1,
            "previous_url": None,
            "next_url": None,
        }
        try:
            number = _page_number(str(request.query_params.get("halaman", "")))
            query = _search_filter(typed, number)
            found = await to_thread.run_sync(registry.search, user.actor, query)
        except RegistryError as refused:
            context |= {"refused": refused, "refused_field": refused.field}
            status = 400 if isinstance(refused, InvalidInput) else status_of(refused)
            return page(request, "dokumen_daftar.html", user, status_code=status, **context)
        filled = {name: value for name, value in typed.items() if value}
        context |= {
            "documents": found[:PAGE_SIZE],
            "page_number": number,
            "previous_url": _list_url(filled, number - 1) if number > 1 else None,
            "next_url": _list_url(filled, number + 1) if len(found) > PAGE_SIZE else None,
            "filtered": bool(filled),
        }
        return page(request, "dokumen_daftar.html", user, **context)

    @get("/{document_id:uuid}", name="console-document")
    async def document(
        self,
        request: Request[Any, Any, Any],
        document_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        """A document's record, files, verification links and history."""
        require_role(user, *DOCUMENT_READERS)
        view = await to_thread.run_sync(registry.get, document_id, user.actor)
        trail = None
        if user.role in AUDIT_READERS:
            # The log names every actor: only its readers (as on the Audit page) see its entries.
            log = AuditLog(registry.db, zone=registry.settings.zone)
            subject = AuditFilter(subject=str(view.id))
            trail = (await to_thread.run_sync(log.entries, user.actor, subject)).rows
        return page(
            request,
            "dokumen_detail.html",
            user,
            document=view,
            trail=trail,
            notice=DONE_NOTICES.get(selesai or ""),
            type_labels=DOCUMENT_TYPE_LABELS,
            status_labels=STATUS_LABELS,
            path_labels=PATH_LABELS,
            action_labels=AUDIT_ACTIONS,
            nip_text=format_nip(view.nip, view.employment),
            kinds={f.kind for f in view.files},
            pdf_available=registry.production.pdf_available,
            jp=number_id,
            span=date_span,
        )

    @get("/{document_id:uuid}/qr", name="console-document-qr")
    async def qr(
        self,
        document_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Response[bytes]:
        """The QR code printed on the document: its verify URL, the same payload as stamped."""
        require_role(user, *DOCUMENT_READERS)
        view = await to_thread.run_sync(registry.get, document_id, user.actor)
        png = await to_thread.run_sync(qr_png, view.verify_url)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private"})

    @get("/{document_id:uuid}/{kind:str}", name="console-document-file")
    async def file(
        self,
        document_id: FromPath[uuid.UUID],
        kind: FromPath[str],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> StoredDownload:
        """The issued PDF (shown in the browser) or the DOCX it was made from (downloaded)."""
        require_role(user, *DOCUMENT_READERS)
        if kind not in ("pdf", "docx"):
            raise NotFound("Berkas yang diminta tidak ada: pilih PDF atau DOCX.")
        view, stored = await to_thread.run_sync(registry.stored_file, document_id, kind, user.actor)
        return await to_thread.run_sync(
            partial(
                stored_download,
                registry.production.store,
                stored.sha256,
                filename=f"{view.number.replace('/', '-')}.{kind}",
                media_type=MEDIA_TYPES[kind],
                disposition="inline" if kind == "pdf" else "attachment",
            )
        )


def _page_number(raw: str) -> int:
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= 10_000:
        raise InvalidInput("Nomor halaman harus bilangan bulat 1 atau lebih.", field="halaman")
    return int(raw)


def _search_filter(typed: dict[str, str], page_number: int) -> SearchFilter:
    """The list's query as the use case's filter; a value it cannot mean is refused, named."""
    year = typed["tahun"]
    if year and not (year.isascii() and year.isdigit() and 2000 <= int(year) <= 2100):
        raise InvalidInput(
            f"Tahun harus empat angka antara 2000 dan 2100 (diterima {year!r}).", field="tahun"
        )
    if typed["jenis"] and typed["jenis"] not in DOCUMENT_TYPES:
        raise InvalidInput("Jenis dokumen tidak dikenal; pilih dari daftar.", field="jenis")
    if typed["status"] and typed["status"] not in STATUS_LABELS:
        raise InvalidInput("Status tidak dikenal; pilih dari daftar.", field="status")
    return SearchFilter(
        number=typed["nomor"] or None,
        nip=typed["nip"] or None,
        name=typed["nama"] or None,
        year=int(year) if year else None,
        type=typed["jenis"] or None,
        status=typed["status"] or None,
        unit_code=typed["unit"].upper() or None,
        # One more than a page says whether a next page exists.
        limit=PAGE_SIZE + 1,
        offset=(page_number - 1) * PAGE_SIZE,
    )


def _list_url(filled: dict[str, str], page_number: int) -> str:
    query = filled | ({"halaman": str(page_number)} if page_number > 1 else {})
    return "/konsol/dokumen" + (f"?{urlencode(query)}" if query else "")


#: Every page of this area (Terbitkan dokumen, Dokumen), for ``routing.PAGE_CONTROLLERS``.
DOCUMENT_CONTROLLERS: list[ControllerRouterHandler] = [DocumentFiles, DocumentChanges, IssuePages]
