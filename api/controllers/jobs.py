"""Batch issuance and its background job."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, HeaderParameter

from api.auth import AUDITOR, ISSUER, allow, provide_actor
from api.downloads import StoredDownload, stored_download
from api.notices import DeploymentWarnings, warning_headers
from api.openapi import KEYED, problems
from api.schemas import BatchCreate, BatchSpec, Job, SubmittedJob
from api.uploads import decode_json_field, read_upload, takes_uploads
from registry.adapters.exports import MEDIA_TYPES
from registry.adapters.spreadsheets import participant_template_xlsx, read_recipients
from registry.domain.actors import Actor
from registry.domain.batch_rows import BatchRecipient, recipients_from_json
from registry.domain.batch_template import TEMPLATE_FILENAME
from registry.domain.errors import InvalidInput, NotFound
from registry.usecases.batches import Batches, BatchRequest

IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        required=False,
        description="Retrying with the same key returns the same batch and takes no new numbers.",
    ),
]


class JobController(Controller):
    path = "/api/v1"
    tags = ["batches"]
    security = KEYED
    dependencies = {"actor": Provide(provide_actor)}

    @post(
        "/documents/batch",
        guards=[allow(ISSUER)],
        operation_id="issueBatch",
        responses=problems(body=True, uploads=True, conflict=True),
        # The batch is accepted and numbered in the background (Location: the job).
        status_code=202,
        opt=takes_uploads(),
    )
    async def issue_batch(
        self,
        request: Request[Any, Any, Any],
        batches: NamedDependency[Batches],
        actor: NamedDependency[Actor],
        deployment_warnings: NamedDependency[DeploymentWarnings],
        idempotency_key: IdempotencyKey = None,
    ) -> Response[SubmittedJob]:
        """Issue one document per recipient with consecutive numbers; answers 202 with the job.

        Send JSON (the fields of a document without `recipient`, plus `recipients`: a list of
        objects with the participant-list columns) or `multipart/form-data` with part `batch`
        (the same JSON without `recipients`) and part `file` (a CSV or XLSX participant list).
        Every row is checked first: one bad row refuses the whole batch, naming row and column.
        """
        spec, recipients = await _read_batch(request, batches)

        def issue() -> Response[SubmittedJob]:
            request = BatchRequest(
                type=spec.type,
                activity=spec.activity_draft(),
                recipients=recipients,
                unit_code=spec.unit_code,
                series=spec.series,
                details=spec.details,
            )
            outcome = batches.submit(request, actor, idempotency_key)
            headers = {
                "Location": f"/api/v1/jobs/{outcome.batch.id}",
                **warning_headers(deployment_warnings),
            }
            if outcome.replayed:
                headers["Idempotent-Replayed"] = "true"
            body = SubmittedJob.answer(outcome.batch, deployment_warnings)
            return Response(body, status_code=202, headers=headers)

        return await to_thread.run_sync(issue)

    @get(
        "/documents/batch/template.xlsx",
        guards=[allow(ISSUER)],
        operation_id="getBatchTemplate",
        responses=problems(inputs=False),
        sync_to_thread=True,
        media_type=MEDIA_TYPES["xlsx"],
    )
    def batch_template(self) -> Response[bytes]:
        """An XLSX participant list to fill in for `POST /documents/batch`: the columns, an
        example row to delete, the NIP column as Text, and a sheet "Petunjuk" explaining each
        column."""
        return Response(
            participant_template_xlsx(),
            media_type=MEDIA_TYPES["xlsx"],
            headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_FILENAME}"'},
        )

    @get(
        "/jobs/{job_id:uuid}",
        guards=[allow(ISSUER, AUDITOR)],
        operation_id="getJob",
        responses=problems(lookup=True),
        sync_to_thread=True,
    )
    def job(
        self,
        job_id: FromPath[uuid.UUID],
        batches: NamedDependency[Batches],
        actor: NamedDependency[Actor],
    ) -> Job:
        """Progress of a batch: counts, and the merged PDF and ZIP once it is done."""
        return Job.from_view(batches.get(job_id, actor))

    @post(
        "/jobs/{job_id:uuid}/retry",
        guards=[allow(ISSUER)],
        operation_id="retryJob",
        responses=problems(lookup=True, conflict=True),
        sync_to_thread=True,
        status_code=202,
    )
    def retry(
        self,
        job_id: FromPath[uuid.UUID],
        batches: NamedDependency[Batches],
        actor: NamedDependency[Actor],
    ) -> Job:
        """Run a failed batch's unfinished steps again (pending documents, then the merged PDF
        and ZIP); answers 202 with the job. A batch that has not failed is refused with 409."""
        return Job.from_view(batches.retry(job_id, actor))

    @get(
        "/jobs/{job_id:uuid}/merged.pdf",
        guards=[allow(ISSUER, AUDITOR)],
        operation_id="getJobMergedPdf",
        responses=problems(lookup=True),
        sync_to_thread=True,
        media_type="application/pdf",
    )
    def merged(
        self,
        job_id: FromPath[uuid.UUID],
        batches: NamedDependency[Batches],
        actor: NamedDependency[Actor],
    ) -> StoredDownload:
        """Every PDF of the batch in number order, one file for printing."""
        view = batches.get(job_id, actor)
        return _result_file(batches, view.merged_sha256, f"batch-{view.id}.pdf", "PDF gabungan")

    @get(
        "/jobs/{job_id:uuid}/documents.zip",
        guards=[allow(ISSUER, AUDITOR)],
        operation_id="getJobArchive",
        responses=problems(lookup=True),
        sync_to_thread=True,
        media_type="application/zip",
    )
    def archive(
        self,
        job_id: FromPath[uuid.UUID],
        batches: NamedDependency[Batches],
        actor: NamedDependency[Actor],
    ) -> StoredDownload:
        """Every recipient's file of the batch, one ZIP."""
        view = batches.get(job_id, actor)
        return _result_file(batches, view.zip_sha256, f"batch-{view.id}.zip", "Arsip ZIP")


def _result_file(batches: Batches, sha256: str | None, filename: str, label: str) -> StoredDownload:
    if sha256 is None:
        raise NotFound(f"{label} belum tersedia: batch masih diproses atau tanpa berkas")
    media_type = "application/pdf" if filename.endswith(".pdf") else "application/zip"
    return stored_download(
        batches.registry.production.store, sha256, filename=filename, media_type=media_type
    )


async def _read_batch(
    request: Request[Any, Any, Any], batches: Batches
) -> tuple[BatchSpec, list[BatchRecipient]]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form()
        spec = decode_json_field(form.get("batch"), BatchSpec, "batch")
        upload = form.get("file")
        data = read_upload(upload, batches.registry.settings.max_upload_bytes)
        filename = upload.filename if isinstance(upload, UploadFile) else None
        media_type = upload.content_type if isinstance(upload, UploadFile) else None
        recipients = await to_thread.run_sync(
            lambda: read_recipients(data, filename=filename, media_type=media_type)
        )
        return spec, recipients
    if content_type in ("application/json", ""):
        body = await request.body()
        batch = decode_json_field(body, BatchCreate, "body")
        return batch, recipients_from_json(batch.recipients)
    raise InvalidInput(
        "Kirim JSON atau multipart/form-data (bagian 'batch' dan 'file')", field="content-type"
    )
