from __future__ import annotations

import uuid
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import (
    FromPath,
    FromQuery,
    HeaderParameter,
    JSONBody,
    MultipartBody,
    QueryParameter,
)

from api.auth import ISSUER, READERS, allow, provide_actor
from api.downloads import StoredDownload, stored_download
from api.notices import DeploymentWarnings, warning_headers
from api.openapi import KEYED, problems
from api.schemas import (
    Document,
    DocumentCreate,
    DocumentList,
    DocumentSupersede,
    IssuedDocument,
    RevokeRequest,
    StampForm,
)
from api.uploads import decode_json_field, read_typed_upload, takes_uploads
from registry.domain.actors import Actor
from registry.domain.numbering import DOCUMENT_TYPES
from registry.domain.views import IssueOutcome
from registry.usecases.issuing import Registry, SearchFilter
from registry.usecases.production import MEDIA_TYPES

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description="Retrying with the same key returns the same document and takes no new number.",
    ),
]


def _created(outcome: IssueOutcome, warnings: DeploymentWarnings) -> Response[IssuedDocument]:
    headers = warning_headers(warnings)
    if outcome.replayed:
        headers["Idempotent-Replayed"] = "true"
    body = IssuedDocument.answer(outcome.document, warnings)
    return Response(body, status_code=201, headers=headers)


class DocumentController(Controller):
    path = "/api/v1/documents"
    tags = ["documents"]
    security = KEYED
    dependencies = {"actor": Provide(provide_actor)}

    @post(
        "/",
        guards=[allow(ISSUER)],
        operation_id="issueDocument",
        responses=problems(body=True, conflict=True, renders=True),
        sync_to_thread=True,
    )
    def issue(
        self,
        data: JSONBody[DocumentCreate],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
        deployment_warnings: NamedDependency[DeploymentWarnings],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[IssuedDocument]:
        """Issue one numbered, signed document record."""
        outcome = registry.issue(data.to_draft(), actor, idempotency_key)
        return _created(outcome, deployment_warnings)

    @get(
        "/",
        guards=[allow(*READERS)],
        operation_id="listDocuments",
        responses=problems(),
        sync_to_thread=True,
    )
    def search(
        self,
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
        number: FromQuery[str | None] = None,
        nip: Annotated[str | None, QueryParameter(max_length=30)] = None,
        # Part of the holder's name, any case: what a person remembers of a certificate.
        name: Annotated[str | None, QueryParameter(max_length=100)] = None,
        year: Annotated[int | None, QueryParameter(ge=2000, le=2100)] = None,
        # Named like the query parameter clients send (?type=), so errors name the right field.
        type: Annotated[
            str | None, QueryParameter(name="type", pattern="^(" + "|".join(DOCUMENT_TYPES) + ")$")
        ] = None,
        status: Annotated[
            str | None, QueryParameter(pattern="^(pending|issued|void|revoked|superseded)$")
        ] = None,
        unit_code: FromQuery[str | None] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 50,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> DocumentList:
        """Find documents. A requester key sees only its own unit's documents. `name` matches part
        of the holder's name, any case."""
        query = SearchFilter(
            number=number,
            nip=nip,
            name=name,
            year=year,
            type=type,
            status=status,
            unit_code=unit_code,
            limit=limit,
            offset=offset,
        )
        views = registry.search(actor, query)
        return DocumentList(
            items=[Document.from_view(view) for view in views], limit=limit, offset=offset
        )

    @get(
        "/{document_id:uuid}",
        guards=[allow(*READERS)],
        operation_id="getDocument",
        responses=problems(lookup=True),
        sync_to_thread=True,
    )
    def get_one(
        self,
        document_id: FromPath[uuid.UUID],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
    ) -> Document:
        return Document.from_view(registry.get(document_id, actor))

    @post(
        "/{document_id:uuid}/revoke",
        guards=[allow(ISSUER)],
        operation_id="revokeDocument",
        responses=problems(lookup=True, body=True, conflict=True),
        status_code=200,
        sync_to_thread=True,
    )
    def revoke(
        self,
        document_id: FromPath[uuid.UUID],
        data: JSONBody[RevokeRequest],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
        idempotency_key: IdempotencyKey = None,
    ) -> Document:
        """Revoke a valid document; its number stays in the register, marked revoked."""
        outcome = registry.revoke(document_id, data.reason, actor, idempotency_key)
        return Document.from_view(outcome.document)

    @post(
        "/{document_id:uuid}/supersede",
        guards=[allow(ISSUER)],
        operation_id="supersedeDocument",
        responses=problems(lookup=True, body=True, conflict=True, renders=True),
        sync_to_thread=True,
    )
    def supersede(
        self,
        document_id: FromPath[uuid.UUID],
        data: JSONBody[DocumentSupersede],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
        deployment_warnings: NamedDependency[DeploymentWarnings],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[IssuedDocument]:
        """Issue a corrected document under a new number; the old one becomes superseded."""
        outcome = registry.supersede(
            document_id, data.to_draft(), data.reason, actor, idempotency_key
        )
        return _created(outcome, deployment_warnings)

    @get(
        "/{document_id:uuid}/pdf",
        guards=[allow(*READERS)],
        operation_id="getDocumentPdf",
        responses=problems(lookup=True),
        sync_to_thread=True,
        media_type="application/pdf",
    )
    def pdf(
        self,
        document_id: FromPath[uuid.UUID],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
    ) -> StoredDownload:
        """The issued PDF, for those who may read the document."""
        return _stored_file(registry, document_id, "pdf", actor)

    @get(
        "/{document_id:uuid}/docx",
        guards=[allow(*READERS)],
        operation_id="getDocumentDocx",
        responses=problems(lookup=True),
        sync_to_thread=True,
        media_type=MEDIA_TYPES["docx"],
    )
    def docx(
        self,
        document_id: FromPath[uuid.UUID],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
    ) -> StoredDownload:
        """The DOCX the PDF was converted from."""
        return _stored_file(registry, document_id, "docx", actor)

    @post(
        "/stamp",
        guards=[allow(ISSUER)],
        operation_id="stampDocument",
        responses=problems(uploads=True, conflict=True),
        sync_to_thread=True,
        opt=takes_uploads(),
        media_type="application/pdf",
    )
    def stamp(
        self,
        data: MultipartBody[StampForm],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
        deployment_warnings: NamedDependency[DeploymentWarnings],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:
        """Number a PDF made elsewhere: part `file` (the PDF) and part `document` (JSON, the same
        fields as `POST /api/v1/documents`). Answers with the stamped PDF; the document's id,
        number and verify URL are in the `Location`, `X-Document-Number` and `Link` headers."""
        draft = decode_json_field(data.document, DocumentCreate, "document").to_draft()
        upload = read_typed_upload(data.file, registry.settings.max_upload_bytes)
        outcome, stamped = registry.stamp(draft, upload, actor, idempotency_key)
        view = outcome.document
        headers = {
            "Location": f"/api/v1/documents/{view.id}",
            "X-Document-Id": str(view.id),
            "X-Document-Number": view.number,
            "Link": f'<{view.verify_url}>; rel="verify"',
            "Content-Disposition": f'inline; filename="{view.number.replace("/", "-")}.pdf"',
            **warning_headers(deployment_warnings),
        }
        if outcome.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(stamped, status_code=201, media_type="application/pdf", headers=headers)


def _stored_file(
    registry: Registry, document_id: uuid.UUID, kind: str, actor: Actor
) -> StoredDownload:
    view, stored = registry.stored_file(document_id, kind, actor)
    return stored_download(
        registry.production.store,
        stored.sha256,
        filename=f"{view.number.replace('/', '-')}.{kind}",
        media_type=MEDIA_TYPES[kind],
        disposition="inline" if kind == "pdf" else "attachment",
    )
