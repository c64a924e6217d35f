"""Terbitkan massal: a participant list issued in one batch, its progress, its merged PDF and ZIP.

The form reads the list with the API's reader (``read_recipients``) and issues through the same
use case (``Batches.submit``), so a refused row is the row error the API would give.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.console.pages import DOCUMENT_TYPE_LABELS
from api.console.rendering import page
from api.console.session import require_role
from api.downloads import StoredDownload, stored_download
from api.errors import status_of
from api.uploads import read_upload, takes_uploads
from registry.adapters.exports import MEDIA_TYPES
from registry.adapters.spreadsheets import participant_template_xlsx, read_recipients
from registry.domain.batch_rows import BatchInvalid
from registry.domain.batch_template import TEMPLATE_FILENAME
from registry.domain.content import PATH_LABELS
from registry.domain.drafts import ActivityDraft
from registry.domain.errors import Conflict, InvalidInput, NotFound, RegistryError
from registry.usecases.accounts import UserView
from registry.usecases.batches import BATCH_STATUS_LABELS, Batches, BatchRequest

BATCHES_PATH = "/konsol/massal"
#: Who reads batches and their files: as the API's job routes. Only issuers start or retry one.
BATCH_READERS = ("issuer", "auditor")
#: The types the form can describe completely: a transkrip needs its subjects and an SK its
#: considerations, which the API's JSON body carries.
FORM_TYPES = ("sttp", "sertifikat", "piagam", "surat_keterangan")
SCOPE_LABELS = {
    "nasional": "Nasional (dalam negeri)",
    "internasional": "Internasional (luar negeri)",
}
DOCUMENT_STATUS_LABELS = {
    "pending": "Diproses",
    "issued": "Terbit",
    "void": "Batal",
    "revoked": "Dicabut",
    "superseded": "Diganti",
}
#: The badge class of a batch status (the shared stylesheet's palette).
STATUS_BADGES = {"rendering": "running", "done": "done", "failed": "failed"}
#: Fixed notices after a redirect, chosen by ``?selesai=``.
NOTICES = {
    "dimulai": "Penerbitan massal dimulai: nomor sudah diambil untuk setiap peserta. "
    "Halaman ini diperbarui sendiri sampai selesai.",
    "diulang": "Batch diulang: langkah yang belum selesai dijalankan lagi, tanpa nomor baru.",
}
FORM_FIELDS = (
    "type",
    "unit_code",
    "title",
    "path",
    "scope",
    "start_date",
    "end_date",
    "jp",
    "organizer",
    "achievement",
)
# Where a use-case error's field is on the form.
_FIELD_OF = {
    "series": "type",
    "recipients": "file",
    "details.achievement": "achievement",
    "details": "achievement",
}


@dataclass
class Refusal:
    """Why the form was refused: the message, the form field it names, the rows at fault."""

    status: int
    message: str
    field: str | None = None
    rows: list[dict[str, Any]] = dataclasses.field(default_factory=list)
    row_count: int = 0
    #: What the field's own error line says, when it is shorter than the summary.
    field_message: str | None = None


class BatchPages(Controller):
    path = "/massal"
    include_in_schema = False

    @get("/", name="console-batches")
    async def index(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        batches: NamedDependency[Batches],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        require_role(user, "issuer")
        return await _index(
            request, user, batches, _blank_form(), notice=NOTICES.get(selesai or "")
        )

    @post("/", name="console-batch-submit", opt=takes_uploads())
    async def submit(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        batches: NamedDependency[Batches],
    ) -> Template | Redirect:
        require_role(user, "issuer")
        form = await request.form()
        values = {name: str(form.get(name, "")).strip()[:300] for name in FORM_FIELDS}
        key = str(form.get("idempotency_key", "")).strip() or None
        try:
            batch = await _batch_request(form.get("file"), values, batches)
            outcome = await to_thread.run_sync(lambda: batches.submit(batch, user.actor, key))
        except BatchInvalid as refused:
            refusal = Refusal(
                status=422,
                message=refused.message,
                field="file",
                rows=list(refused.extra.get("errors", [])),
                row_count=int(refused.extra.get("error_count", 0)),
                field_message="Perbaiki baris yang disebut pada tabel di atas, lalu pilih "
                "berkasnya lagi.",
            )
            return await _index(request, user, batches, values, refusal=refusal)
        except RegistryError as refused:
            refusal = Refusal(status_of(refused), refused.message, _form_field(refused.field))
            return await _index(request, user, batches, values, refusal=refusal)
        return Redirect(f"{BATCHES_PATH}/{outcome.batch.id}?selesai=dimulai", status_code=303)

    @get("/templat.xlsx", name="console-batch-template")
    async def template(self, user: NamedDependency[UserView]) -> Response[bytes]:
        """The participant list to fill in: the API's template, behind the console's sign-in."""
        require_role(user, "issuer")
        content = await to_thread.run_sync(participant_template_xlsx)
        return Response(
            content,
            media_type=MEDIA_TYPES["xlsx"],
            headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_FILENAME}"'},
        )

    @get("/{batch_id:uuid}", name="console-batch")
    async def batch(
        self,
        request: Request[Any, Any, Any],
        batch_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        batches: NamedDependency[Batches],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        require_role(user, *BATCH_READERS)
        return await _batch_page(
            request, user, batches, batch_id, notice=NOTICES.get(selesai or "")
        )

    @post("/{batch_id:uuid}/ulang", name="console-batch-retry")
    async def retry(
        self,
        request: Request[Any, Any, Any],
        batch_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        batches: NamedDependency[Batches],
    ) -> Template | Redirect:
        require_role(user, "issuer")
        try:
            await to_thread.run_sync(batches.retry, batch_id, user.actor)
        except Conflict as refused:
            # Pressed twice, or the batch is running already: show where it stands.
            return await _batch_page(
                request, user, batches, batch_id, error=refused.message, status_code=409
            )
        return Redirect(f"{BATCHES_PATH}/{batch_id}?selesai=diulang", status_code=303)

    @get("/{batch_id:uuid}/gabungan.pdf", name="console-batch-merged")
    async def merged(
        self,
        batch_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        batches: NamedDependency[Batches],
    ) -> StoredDownload:
        """Every PDF of the batch in number order, one file for printing."""
        require_role(user, *BATCH_READERS)
        view = await to_thread.run_sync(batches.get, batch_id, user.actor)
        return await to_thread.run_sync(
            _stored, batches, view.merged_sha256, f"massal-{view.id}.pdf", "PDF gabungan"
        )

    @get("/{batch_id:uuid}/arsip.zip", name="console-batch-archive")
    async def archive(
        self,
        batch_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        batches: NamedDependency[Batches],
    ) -> StoredDownload:
        """Every recipient's file of the batch, one ZIP."""
        require_role(user, *BATCH_READERS)
        view = await to_thread.run_sync(batches.get, batch_id, user.actor)
        return await to_thread.run_sync(
            _stored, batches, view.zip_sha256, f"massal-{view.id}.zip", "Arsip ZIP"
        )


async def _batch_request(upload: Any, values: dict[str, str], batches: Batches) -> BatchRequest:
    """The batch the form describes, its participants read as the API reads an upload."""
    activity = _activity(values)
    # A browser sends an empty part, not a file, when none was chosen.
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InvalidInput(
            "Pilih berkas daftar peserta (XLSX atau CSV) sebelum mengirim.", field="file"
        )
    data = read_upload(upload, batches.registry.settings.max_upload_bytes)
    filename, media_type = upload.filename, upload.content_type
    recipients = await to_thread.run_sync(
        lambda: read_recipients(data, filename=filename, media_type=media_type)
    )
    achievement = values["achievement"] if values["type"] == "piagam" else ""
    return BatchRequest(
        type=values["type"],
        activity=activity,
        recipients=recipients,
        unit_code=values["unit_code"] or None,
        details={"achievement": achievement} if achievement else None,
    )


async def _index(
    request: Request[Any, Any, Any],
    user: UserView,
    batches: Batches,
    values: dict[str, str],
    *,
    notice: str | None = None,
    refusal: Refusal | None = None,
) -> Template:
    recent = await to_thread.run_sync(batches.recent, user.actor)
    return page(
        request,
        "massal_index.html",
        user,
        status_code=refusal.status if refusal else 200,
        batches=recent,
        values=values,
        # A fresh key for every form shown: one submit of it starts at most one batch.
        idempotency_key=uuid.uuid4().hex,
        notice=notice,
        refusal=refusal,
        form_types=FORM_TYPES,
        type_labels=DOCUMENT_TYPE_LABELS,
        path_labels=PATH_LABELS,
        scope_labels=SCOPE_LABELS,
        status_labels=BATCH_STATUS_LABELS,
        status_badges=STATUS_BADGES,
        started_by=started_by,
    )


async def _batch_page(
    request: Request[Any, Any, Any],
    user: UserView,
    batches: Batches,
    batch_id: uuid.UUID,
    *,
    notice: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Template:
    view = await to_thread.run_sync(batches.get, batch_id, user.actor)
    listing = await to_thread.run_sync(batches.listing, batch_id, user.actor)
    documents = (
        await to_thread.run_sync(batches.documents, batch_id, user.actor)
        if view.status != "rendering"
        else ()
    )
    return page(
        request,
        "massal_batch.html",
        user,
        status_code=status_code,
        batch=view,
        listing=listing,
        documents=documents,
        done=view.total - view.pending,
        notice=notice,
        error=error,
        type_labels=DOCUMENT_TYPE_LABELS,
        status_labels=BATCH_STATUS_LABELS,
        status_badges=STATUS_BADGES,
        document_labels=DOCUMENT_STATUS_LABELS,
        batches_path=BATCHES_PATH,
        started_by=started_by,
    )


def started_by(label: str) -> str:
    """Who started a batch, as ``created_by`` records it, in words."""
    if label.startswith("user:"):
        return label.removeprefix("user:")
    if label.startswith("apikey:"):
        return f"kunci API {label.removeprefix('apikey:')}"
    return "operator (CLI)" if label == "cli" else label


def _blank_form() -> dict[str, str]:
    return {name: "" for name in FORM_FIELDS} | {"type": "sttp", "scope": "nasional"}


def _activity(values: dict[str, str]) -> ActivityDraft:
    """The activity as the API's JSON body would carry it; the use case checks the rest."""
    return ActivityDraft(
        title=values["title"],
        path=values["path"],
        scope=values["scope"],
        start_date=_date(values["start_date"], "start_date", "Tanggal mulai"),
        end_date=_date(values["end_date"], "end_date", "Tanggal selesai"),
        jp=_jp(values["jp"]),
        organizer=values["organizer"] or None,
    )


def _date(text: str, name: str, label: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{label} wajib diisi sebagai tanggal (TTTT-BB-HH, mis. 2026-03-02).",
            field=f"activity.{name}",
        ) from None


def _jp(text: str) -> Decimal | None:
    if not text:
        return None
    try:
        value = Decimal(text.replace(",", ".") if "." not in text else text)
    except InvalidOperation:
        raise InvalidInput(
            f"JP harus angka, mis. 24 atau 2,5 (diterima {text!r}).", field="activity.jp"
        ) from None
    if not value.is_finite():
        raise InvalidInput("JP harus angka, mis. 24 atau 2,5.", field="activity.jp")
    return value


def _form_field(name: str | None) -> str | None:
    if name is None:
        return None
    if name in _FIELD_OF:
        return _FIELD_OF[name]
    short = name.removeprefix("activity.")
    return short if short in FORM_FIELDS or short == "file" else None


def _stored(batches: Batches, sha256: str | None, filename: str, label: str) -> StoredDownload:
    if sha256 is None:
        raise NotFound(
            f"{label} belum tersedia: batch masih diproses, gagal, atau tidak menghasilkan berkas."
        )
    media_type = "application/pdf" if filename.endswith(".pdf") else "application/zip"
    return stored_download(
        batches.registry.production.store,
        sha256,
        filename=filename,
        media_type=media_type,
        disposition="inline" if filename.endswith(".pdf") else "attachment",
    )
