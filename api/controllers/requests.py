"""Surat keterangan requests: a unit files, BPSDM approves (a letter is issued) or rejects."""

from __future__ import annotations

import uuid
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody

from api.auth import ISSUER, READERS, REQUESTER, allow, provide_actor
from api.downloads import StoredDownload, stored_download
from api.openapi import KEYED, problems
from api.schemas_requests import EvidenceOut, RejectIn, RequestList, RequestOut
from api.uploads import read_typed_upload, takes_uploads
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput
from registry.domain.requests import evidence_download_name
from registry.usecases.issuing import Registry
from registry.usecases.requests import Requests


def provide_requests(registry: NamedDependency[Registry]) -> Requests:
    return Requests(registry)


class RequestController(Controller):
    path = "/api/v1/requests"
    tags = ["requests"]
    security = KEYED
    dependencies = {
        "actor": Provide(provide_actor),
        "requests": Provide(provide_requests, sync_to_thread=False),
    }

    @post(
        "",
        guards=[allow(ISSUER, REQUESTER)],
        operation_id="createRequest",
        responses=problems(body=True),
        sync_to_thread=True,
    )
    def create(
        self,
        data: JSONBody[dict[str, Any]],
        requests: NamedDependency[Requests],
        actor: NamedDependency[Actor],
    ) -> Response[RequestOut]:
        """File a request (a draft): `kind`, `scope`, `employee`, the coach / mentor / supervisor
        where the kind has one, and `sessions` [{date, minutes or jp, topic, outcome?}].

        A requester files for its own unit; an issuer names the unit (`unit_code`, else
        `employee.unit`).
        """
        view = requests.create(data, actor)
        return Response(
            RequestOut.from_view(view),
            status_code=201,
            headers={"Location": f"/api/v1/requests/{view.id}"},
        )

    @get(
        "",
        guards=[allow(*READERS)],
        operation_id="listRequests",
        responses=problems(),
        sync_to_thread=True,
    )
    def list_requests(
        self,
        requests: NamedDependency[Requests],
        actor: NamedDependency[Actor],
        status: FromQuery[str | None] = None,
        unit: FromQuery[str | None] = None,
    ) -> RequestList:
        """Oldest submitted first; a requester sees only its unit's requests."""
        views = requests.list(actor, status=status, unit=unit)
        return RequestList([RequestOut.from_view(view) for view in views])

    @get(
        "/{request_id:uuid}",
        guards=[allow(*READERS)],
        operation_id="getRequest",
        responses=problems(lookup=True),
        sync_to_thread=True,
    )
    def get_request(
        self,
        request_id: FromPath[uuid.UUID],
        requests: NamedDependency[Requests],
        actor: NamedDependency[Actor],
    ) -> RequestOut:
        """The request with the JP each session credits (and why not) and its evidence."""
        return RequestOut.from_view(requests.get(request_id, actor))

    @post(
        "/{request_id:uuid}/evidence",
        guards=[allow(ISSUER, REQUESTER)],
        operation_id="addRequestEvidence",
        responses=problems(lookup=True, uploads=True, conflict=True),
        opt=takes_uploads(),
    )
    async def add_evidence(
        self,
        request_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        requests: NamedDependency[Requests],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
    ) -> Response[EvidenceOut]:
        """Attach a PDF, JPEG or PNG (multipart part `file`) as evidence of `kind`."""
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "multipart/form-data":
            raise InvalidInput(
                "Kirim multipart/form-data dengan bagian 'file' dan 'kind'", field="content-type"
            )
        form = await request.form()
        upload = form.get("file")
        data = read_typed_upload(upload, registry.settings.max_upload_bytes)
        filename = upload.filename if isinstance(upload, UploadFile) else None
        kind = form.get("kind")
        view = await to_thread.run_sync(
            lambda: requests.add_evidence(
                request_id,
                kind if isinstance(kind, str) else None,
                data,
                actor,
                filename=filename,
            )
        )
        return Response(EvidenceOut.from_view(view), status_code=201)

    @get(
        "/{request_id:uuid}/evidence/{evidence_id:uuid}",
        guards=[allow(*READERS)],
        operation_id="getRequestEvidence",
        responses=problems(lookup=True),
        sync_to_thread=True,
    )
    def evidence_file(
        self,
        request_id: FromPath[uuid.UUID],
        evidence_id: FromPath[uuid.UUID],
        requests: NamedDependency[Requests],
        actor: NamedDependency[Actor],
    ) -> StoredDownload:
        """The stored evidence file, served as the media type its content was judged to be."""
        view = requests.evidence(request_id, evidence_id, actor)
        return stored_download(
            requests.registry.production.store,
            view.sha256,
            filename=evidence_download_name(view.filename, view.kind, view.media_type),
            media_type=view.media_type,
            disposition="inline",
            # An uploaded file is the uploader's bytes: the browser must take them as the PDF or
            # image they were judged to be, never guess (sniff) that they are a page to run.
            headers={"X-Content-Type-Options": "nosniff"},
        )

    @post(
        "/{request_id:uuid}/submit",
        guards=[allow(ISSUER, REQUESTER)],
        operation_id="submitRequest",
        responses=problems(lookup=True, conflict=True),
        status_code=200,
        sync_to_thread=True,
    )
    def submit(
        self,
        request_id: FromPath[uuid.UUID],
        requests: NamedDependency[Requests],
        actor: NamedDependency[Actor],
    ) -> RequestOut:
        return RequestOut.from_view(requests.submit(request_id, actor))

    @post(
        "/{request_id:uuid}/withdraw",
        guards=[allow(ISSUER, REQUESTER)],
        operation_id="withdrawRequest",
        responses=problems(lookup=True, conflict=True),
        status_code=200,
        sync_to_thread=True,
    )
    def withdraw(
        self,
        request_id: FromPath[uuid.UUID],
        requests: NamedDependency[Requests],
        actor: NamedDependency[Actor],
    ) -> RequestOut:
        return RequestOut.from_view(requests.withdraw(request_id, actor))

    @post(
        "/{request_id:uuid}/approve",
        guards=[allow(ISSUER)],
        operation_id="approveRequest",
        responses=problems(lookup=True, conflict=True, renders=True),
        status_code=200,
        sync_to_thread=True,
    )
    def approve(
        self,
        request_id: FromPath[uuid.UUID],
        requests: NamedDependency[Requests],
        actor: NamedDependency[Actor],
    ) -> RequestOut:
        """Issue the numbered, signed surat keterangan; 422 with the verdicts when 0 JP."""
        return RequestOut.from_view(requests.approve(request_id, actor))

    @post(
        "/{request_id:uuid}/reject",
        guards=[allow(ISSUER)],
        operation_id="rejectRequest",
        responses=problems(lookup=True, body=True, conflict=True),
        status_code=200,
        sync_to_thread=True,
    )
    def reject(
        self,
        request_id: FromPath[uuid.UUID],
        data: JSONBody[RejectIn],
        requests: NamedDependency[Requests],
        actor: NamedDependency[Actor],
    ) -> RequestOut:
        return RequestOut.from_view(requests.reject(request_id, data.reason, actor))
