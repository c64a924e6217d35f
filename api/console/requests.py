"""Permohonan: an SKPD files a surat keterangan request, BPSDM works the queue and decides.

Every action is the requests use case's, as the API calls it, with the signed-in person as actor:
who may read or change which request is decided there (another unit's request is "not found").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.console.confirmation import confirm_then_act, see_other
from api.console.pages import REQUEST_STATUS_LABELS
from api.console.rendering import page
from api.console.request_form import (
    EVIDENCE_LABELS,
    GUIDE_LABELS,
    KIND_LABELS,
    SCOPE_LABELS,
    RequestForm,
    read_evidence,
    read_form,
)
from api.console.session import require_role
from api.downloads import StoredDownload, stored_download
from api.errors import status_of
from api.uploads import read_typed_upload, takes_uploads
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput, RegistryError
from registry.domain.formatting import long_date, number_id
from registry.domain.jp_sessions import LogCredit
from registry.domain.nip import format_nip
from registry.domain.requests import (
    EVIDENCE_KINDS,
    GUIDE_ROLES,
    REQUEST_KINDS,
    REQUIRED_EVIDENCE,
    RequestStatus,
    evidence_download_name,
    missing_evidence,
)
from registry.usecases.accounts import UserView
from registry.usecases.issuing import Registry
from registry.usecases.request_filing import RequestFiling
from registry.usecases.requests import Requests, RequestView
from registry.usecases.units import EmployeeView, Units

#: Who opens request pages: as the API's readers (auditors read, not in the header).
READERS = ("issuer", "requester", "auditor")
FILERS = ("issuer", "requester")
MANAGERS = ("issuer",)

#: The fixed notices a redirect may ask for (``?selesai=``); never text from the URL.
NOTICES = {
    "draf": "Draf permohonan tersimpan. Lampirkan bukti dukung yang wajib, lalu ajukan.",
    "diajukan": "Permohonan diajukan ke BPSDM. Anda akan mendapat kabar setelah diputuskan.",
    "bukti": "Bukti dukung terlampir.",
    "ditarik": "Permohonan ditarik. Ajukan permohonan baru bila perlu.",
    "disetujui": "Permohonan disetujui dan surat keterangannya terbit.",
    "ditolak": "Permohonan ditolak; pemohon dapat membaca alasannya di halaman ini.",
}
ACTION_LABELS = {
    "request.create": "Membuat draf",
    "request.evidence": "Melampirkan bukti dukung",
    "request.submit": "Mengajukan",
    "request.withdraw": "Menarik",
    "request.approve": "Menyetujui",
    "request.reject": "Menolak",
    "request.approve_failed": "Penerbitan surat gagal",
}


#: What a person decides on a request: the use case's call, given the reason typed (if any).
Decide = Callable[[Requests, uuid.UUID, Actor, str], object]


def _decision(
    step: str, *, name: str, roles: Sequence[str], done: str, decide: Decide
) -> tuple[HTTPRouteHandler, HTTPRouteHandler]:
    """A step's confirmation (``/permohonan/{id}/<step>``), then the decision; a refusal comes
    back on the confirmation page with what was typed."""

    async def confirm_page(
        request: Request[Any, Any, Any],
        user: UserView,
        registry: Registry,
        refused: RegistryError | None,
    ) -> Template:
        reason = await _reason(request) if refused else ""
        request_id = request.path_params["request_id"]
        return await _confirm_page(
            request, user, registry, request_id, step, refused, reason=reason
        )

    async def act(request: Request[Any, Any, Any], user: UserView, registry: Registry) -> Redirect:
        request_id = request.path_params["request_id"]
        reason = await _reason(request)
        requests = Requests(registry)
        await to_thread.run_sync(lambda: decide(requests, request_id, user.actor, reason))
        return see_other(f"/konsol/permohonan/{request_id}?selesai={done}")

    return confirm_then_act(
        f"/{{request_id:uuid}}/{step}", name=name, roles=roles, page=confirm_page, act=act
    )


async def _reason(request: Request[Any, Any, Any]) -> str:
    return str((await request.form()).get("alasan", ""))


class RequestPages(Controller):
    path = "/permohonan"
    include_in_schema = False

    @get("/", name="console-requests")
    async def index(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        status: FromQuery[str | None] = None,
        unit: FromQuery[str | None] = None,
    ) -> Template:
        require_role(user, *READERS)
        requests = Requests(registry)
        status = status if status in REQUEST_STATUS_LABELS else None
        queue: list[RequestView] = []
        units: list[str] = []
        if user.role == "requester":
            unit = None
            listed = await to_thread.run_sync(lambda: requests.list(user.actor, status=status))
        else:
            units = [
                u.code for u in await to_thread.run_sync(_units(registry).list_units, user.actor)
            ]
            unit = unit if unit in units else None
            queue = await to_thread.run_sync(
                lambda: requests.list(user.actor, status="submitted", unit=unit)
            )
            listed = await to_thread.run_sync(
                lambda: requests.list(user.actor, status=status, unit=unit)
            )
            if status is None:
                # The queue above already shows what waits; below, the others.
                listed = [view for view in listed if view.status != "submitted"]
        return page(
            request,
            "permohonan_daftar.html",
            user,
            queue=queue,
            listed=listed,
            status=status or "",
            unit=unit or "",
            units=units,
            **_labels(),
        )

    @get("/baru", name="console-request-new")
    async def new(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        require_role(user, "requester")
        roster = await _roster(registry, user)
        return _form_page(request, user, RequestForm(), roster)

    # One file input per evidence kind, each up to the upload limit.
    @post("/baru", name="console-request-file", opt=takes_uploads(len(EVIDENCE_KINDS)))
    async def file(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template | Redirect:
        require_role(user, "requester")
        raw = await request.form()
        action = str(raw.get("aksi", ""))
        form = read_form(raw, more_rows=action == "tambah")
        roster = await _roster(registry, user)
        if action == "tambah":
            return _form_page(request, user, form, roster, again=True)
        filing = RequestFiling(Requests(registry))
        try:
            body = form.body(roster)
            if action == "periksa":
                credit = await to_thread.run_sync(filing.preview, body, user.actor)
                return _form_page(request, user, form, roster, again=True, credit=credit)
            evidence = read_evidence(raw, registry.settings.max_upload_bytes)
            submit = action != "draf"
            filed = await to_thread.run_sync(
                lambda: filing.file(
                    body, evidence, user.actor, submit=submit, request_id=uuid.UUID(form.key)
                )
            )
        except RegistryError as refused:
            return _form_page(request, user, form, roster, again=True, error=refused)
        done = "diajukan" if filed.status == "submitted" else "draf"
        return see_other(f"/konsol/permohonan/{filed.id}?selesai={done}")

    @get("/{request_id:uuid}", name="console-request")
    async def show(
        self,
        request: Request[Any, Any, Any],
        request_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        require_role(user, *READERS)
        return await _detail_page(request, user, registry, request_id, notice=selesai)

    @get("/{request_id:uuid}/bukti/{evidence_id:uuid}", name="console-request-evidence")
    async def evidence_file(
        self,
        request_id: FromPath[uuid.UUID],
        evidence_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> StoredDownload:
        """The stored file, served as the API serves it (see ``api.controllers.requests``)."""
        require_role(user, *READERS)
        view = await to_thread.run_sync(
            Requests(registry).evidence, request_id, evidence_id, user.actor
        )
        return await to_thread.run_sync(
            partial(
                stored_download,
                registry.production.store,
                view.sha256,
                filename=evidence_download_name(view.filename, view.kind, view.media_type),
                media_type=view.media_type,
                disposition="inline",
                headers={"X-Content-Type-Options": "nosniff"},
            )
        )

    @post(
        "/{request_id:uuid}/bukti",
        name="console-request-add-evidence",
        opt=takes_uploads(),
    )
    async def add_evidence(
        self,
        request: Request[Any, Any, Any],
        request_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template | Redirect:
        require_role(user, *FILERS)
        raw = await request.form()
        kind = raw.get("jenis_bukti")
        upload = raw.get("berkas")
        requests = Requests(registry)
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput("Pilih berkas bukti dukung (PDF, JPG atau PNG)", field="file")
            data = read_typed_upload(upload, registry.settings.max_upload_bytes)
            await to_thread.run_sync(
                lambda: requests.add_evidence(
                    request_id,
                    kind if isinstance(kind, str) else None,
                    data,
                    user.actor,
                    filename=upload.filename,
                )
            )
        except RegistryError as refused:
            return await _detail_page(request, user, registry, request_id, error=refused)
        return see_other(f"/konsol/permohonan/{request_id}?selesai=bukti")

    @post("/{request_id:uuid}/ajukan", name="console-request-submit")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        request_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template | Redirect:
        require_role(user, *FILERS)
        try:
            await to_thread.run_sync(Requests(registry).submit, request_id, user.actor)
        except RegistryError as refused:
            return await _detail_page(request, user, registry, request_id, error=refused)
        return see_other(f"/konsol/permohonan/{request_id}?selesai=diajukan")

    withdraw_confirm, withdraw = _decision(
        "tarik",
        name="console-request-withdraw",
        roles=FILERS,
        done="ditarik",
        decide=lambda requests, request_id, actor, _: requests.withdraw(request_id, actor),
    )
    approve_confirm, approve = _decision(
        "setujui",
        name="console-request-approve",
        roles=MANAGERS,
        done="disetujui",
        decide=lambda requests, request_id, actor, _: requests.approve(request_id, actor),
    )
    reject_confirm, reject = _decision(
        "tolak",
        name="console-request-reject",
        roles=MANAGERS,
        done="ditolak",
        decide=lambda requests, request_id, actor, reason: requests.reject(
            request_id, reason, actor
        ),
    )


def _units(registry: Registry) -> Units:
    return Units(registry.db, now=registry.now, today=registry.local_today)


async def _roster(registry: Registry, user: UserView) -> list[EmployeeView]:
    if not user.unit_code:
        return []
    code = user.unit_code
    return await to_thread.run_sync(lambda: _units(registry).employees(code, user.actor))


def _day(value: str | date | None) -> str:
    if not value:
        return "-"
    return long_date(date.fromisoformat(value) if isinstance(value, str) else value)


def _kilobytes(size: int) -> str:
    return f"{number_id(round(Decimal(size) / 1000, 1))} KB"


def _labels() -> dict[str, Any]:
    return {
        "day": _day,
        "kb": _kilobytes,
        "num": number_id,
        "status_labels": REQUEST_STATUS_LABELS,
        "kind_labels": KIND_LABELS,
        "scope_labels": SCOPE_LABELS,
        "guide_labels": GUIDE_LABELS,
        "evidence_labels": EVIDENCE_LABELS,
    }


def _form_page(
    request: Request[Any, Any, Any],
    user: UserView,
    form: RequestForm,
    roster: list[EmployeeView],
    *,
    again: bool = False,
    credit: LogCredit | None = None,
    error: RegistryError | None = None,
) -> Template:
    error_field = form.field_of(error) if isinstance(error, InvalidInput) else None
    checked = []
    if credit is not None:
        filled = [form.rows[index] for index in form.filled]
        checked = [
            ({"date": row.tanggal, "topic": row.topik, "minutes": row.menit}, verdict)
            for row, verdict in zip(filled, credit.entries, strict=True)
        ]
    return page(
        request,
        "permohonan_baru.html",
        user,
        status_code=status_of(error) if error is not None else 200,
        form=form,
        roster=roster,
        again=again,
        credit=credit,
        checked=checked,
        error=error,
        error_field=error_field,
        kinds=REQUEST_KINDS,
        evidence_kinds=EVIDENCE_KINDS,
        required_evidence=REQUIRED_EVIDENCE,
        guide_roles=GUIDE_ROLES,
        **_labels(),
    )


async def _detail_context(
    registry: Registry, user: UserView, request_id: uuid.UUID
) -> dict[str, Any]:
    requests = Requests(registry)
    view = await to_thread.run_sync(requests.get, request_id, user.actor)
    history = await to_thread.run_sync(RequestFiling(requests).history, request_id, user.actor)
    letter = None
    if view.document_id is not None and view.status == RequestStatus.APPROVED:
        letter = await to_thread.run_sync(registry.get, view.document_id, user.actor)
    verdicts = list(view.credit.entries) if view.credit else [None] * len(view.sessions)
    employee = view.employee
    return {
        "item": view,
        "sessions": list(zip(view.sessions, verdicts, strict=True)),
        "history": history,
        "letter": letter,
        "missing": missing_evidence(view.kind, (e.kind for e in view.evidence)),
        "employee_nip": format_nip(employee["nip"], employee.get("employment") or "pns"),
        "guide_nip": format_nip(view.guide["nip"])
        if view.guide and view.guide.get("nip")
        else None,
        "action_labels": ACTION_LABELS,
        "evidence_kinds": EVIDENCE_KINDS,
        **_labels(),
    }


async def _detail_page(
    request: Request[Any, Any, Any],
    user: UserView,
    registry: Registry,
    request_id: uuid.UUID,
    *,
    notice: str | None = None,
    error: RegistryError | None = None,
) -> Template:
    context = await _detail_context(registry, user, request_id)
    return page(
        request,
        "permohonan_detail.html",
        user,
        status_code=status_of(error) if error is not None else 200,
        notice=NOTICES.get(notice or ""),
        error=error,
        **context,
    )


async def _confirm_page(
    request: Request[Any, Any, Any],
    user: UserView,
    registry: Registry,
    request_id: uuid.UUID,
    step: str,
    error: RegistryError | None = None,
    *,
    reason: str = "",
) -> Template:
    context = await _detail_context(registry, user, request_id)
    return page(
        request,
        "permohonan_konfirmasi.html",
        user,
        status_code=status_of(error) if error is not None else 200,
        step=step,
        error=error,
        reason=reason,
        **context,
    )
