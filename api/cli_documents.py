"""``satupintu templates check``, ``satupintu worker``, ``satupintu issue-batch`` and
``satupintu batch retry``."""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from api.schemas import ActivityIn, _activity_draft
from registry.adapters.db.engine import Database
from registry.adapters.docx_templates import TemplateSet, check_templates
from registry.adapters.files import FileStore, copy_files
from registry.adapters.files.filesystem import FilesystemStore
from registry.adapters.jobs import InProcessQueue, ensure_queue_schema, run_worker
from registry.adapters.spreadsheets import read_recipients
from registry.bootstrap import build_registry, build_store, initialize, load_identity
from registry.domain.actors import CLI_ACTOR
from registry.domain.batch_rows import BatchInvalid
from registry.domain.errors import ConfigurationError, InvalidInput
from registry.settings import Settings
from registry.usecases.batches import STALE_PENDING, Batches, BatchRequest, BatchView, job_threads

T = TypeVar("T")


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    templates = commands.add_parser("templates", help="DOCX templates").add_subparsers(
        required=True
    )
    templates.add_parser(
        "check", help="render every template with sample data; report unknown placeholders"
    ).set_defaults(handler=templates_check)

    worker = commands.add_parser(
        "worker", help="render batch jobs from the PostgreSQL queue (several may run)"
    )
    worker.add_argument("--concurrency", type=int, default=None)
    worker.set_defaults(handler=worker_command)

    batch = commands.add_parser(
        "issue-batch", help="issue one document per row of a CSV/XLSX participant list"
    )
    batch.add_argument("participants", type=Path, help="CSV or XLSX participant list")
    batch.add_argument("--type", required=True, help="document type, e.g. sttp")
    batch.add_argument("--activity", required=True, type=Path, help="activity JSON file")
    batch.add_argument("--details", type=Path, help="JSON file of details shared by all rows")
    batch.add_argument("--unit-code", help="unit code, for series numbered per unit")
    batch.add_argument("--series", help="number series, when a type has several")
    batch.add_argument("--out", type=Path, help="copy the PDFs, merged PDF and ZIP here")
    batch.set_defaults(handler=issue_batch_command)

    batch_commands = commands.add_parser("batch", help="batches").add_subparsers(required=True)
    retry = batch_commands.add_parser(
        "retry", help="run a failed batch's unfinished steps again (documents, then merge)"
    )
    retry.add_argument("id", type=uuid.UUID, help="the batch (job) id")
    retry.add_argument("--out", type=Path, help="copy the PDFs, merged PDF and ZIP here")
    retry.set_defaults(handler=batch_retry_command)

    files = commands.add_parser("files", help="stored files").add_subparsers(required=True)
    migrate = files.add_parser(
        "migrate",
        help="copy the files of <data dir>/files into the database store (PostgreSQL)",
    )
    migrate.add_argument(
        "--keep", action="store_true", help="keep the copies on disk (they are removed otherwise)"
    )
    migrate.set_defaults(handler=files_migrate_command)


def files_migrate_command(args: argparse.Namespace, settings: Settings) -> int:
    """Move a deployment that kept files in its data dir to the database store, so every host
    sharing the database serves them. Idempotent: run it again after an interruption."""
    initialize(settings)
    database = Database.from_url(settings.database_url)
    try:
        target = build_store(settings, database)
        if isinstance(target, FilesystemStore):
            raise ConfigurationError(
                "Berkas sudah disimpan di direktori data: pindah ke basis data hanya berlaku "
                "untuk PostgreSQL (atau SATUPINTU_FILE_STORE=database)."
            )
        report = copy_files(FilesystemStore(settings.files_dir), target, remove=not args.keep)
    finally:
        database.dispose()
    print(f"copied {report.copied}, already in the database {report.present}")
    for sha256 in report.corrupt:
        print(f"satupintu: {sha256} does not match its name; left on disk", file=sys.stderr)
    return 1 if report.corrupt else 0


def templates_check(_: argparse.Namespace, settings: Settings) -> int:
    reports = check_templates(TemplateSet(settings.templates_dir), load_identity(settings))
    failed = 0
    for report in reports:
        mark = "ok  " if report.ok else "FAIL"
        print(f"{mark} {report.name}  sha256 {report.sha256[:16]}")
        for problem in report.problems:
            print(f"     - {problem}")
        failed += not report.ok
    print(f"{len(reports) - failed} of {len(reports)} templates render cleanly")
    return 1 if failed else 0


def worker_command(args: argparse.Namespace, settings: Settings) -> int:
    if settings.database_url.startswith("sqlite"):
        raise ConfigurationError(
            "Dengan SQLite, pekerjaan batch berjalan di dalam 'satupintu serve'; "
            "worker terpisah memerlukan PostgreSQL (SATUPINTU_DATABASE_URL)"
        )
    initialize(settings)
    ensure_queue_schema(settings.database_url)
    registry = build_registry(settings)
    from registry.adapters.jobs import ProcrastinateQueue

    batches = Batches(registry, ProcrastinateQueue(settings.database_url))
    registry.mail_queue = batches.queue
    batches.resume(older_than=STALE_PENDING)
    try:
        run_worker(
            settings.database_url,
            batches.notifications.with_mail(batches.handlers),
            concurrency=args.concurrency or job_threads(settings),
        )
    finally:
        registry.production.close()
        registry.db.dispose()
    return 0


def issue_batch_command(args: argparse.Namespace, settings: Settings) -> int:
    initialize(settings)
    activity = _activity_draft(_read_json(args.activity, ActivityIn, "--activity"))
    details = _read_json(args.details, dict, "--details") if args.details else None
    try:
        recipients = read_recipients(
            args.participants.read_bytes(), filename=args.participants.name, media_type=None
        )
        request = BatchRequest(
            type=args.type,
            activity=activity,
            recipients=recipients,
            unit_code=args.unit_code,
            series=args.series,
            details=details,
        )
        return _run_batch(
            settings, lambda batches: batches.submit(request, CLI_ACTOR).batch.id, args.out
        )
    except BatchInvalid as refused:
        print_row_errors(refused)
        return 2


def batch_retry_command(args: argparse.Namespace, settings: Settings) -> int:
    initialize(settings)
    return _run_batch(settings, lambda batches: batches.retry(args.id, CLI_ACTOR).id, args.out)


def _run_batch(settings: Settings, start: Callable[[Batches], uuid.UUID], out: Path | None) -> int:
    """Start a batch's work and do it in this process, showing progress until the batch ends."""
    registry = build_registry(settings)
    try:
        if not registry.production.pdf_available:
            print(f"perhatian: {registry.production.pdf_unavailable_reason}", file=sys.stderr)
        batches = Batches(registry)
        # This process is the worker: the jobs run on its own threads, whatever the database.
        queue = InProcessQueue(
            batches.notifications.with_mail(batches.handlers), workers=job_threads(settings)
        )
        batches.queue = queue
        registry.mail_queue = queue
        try:
            view = _follow(batches, start(batches), idle=lambda: queue.wait_idle(0))
        finally:
            queue.close()
        _summary(view)
        if view.status == "failed":
            print(
                f"satupintu: batch {view.id} gagal: {view.error}\n"
                f"Setelah penyebabnya diperbaiki, jalankan: satupintu batch retry {view.id}",
                file=sys.stderr,
            )
            return 1
        if out:
            _copy_out(batches, view, out)
        return 0 if view.void == 0 else 1
    finally:
        registry.production.close()
        registry.db.dispose()


def _follow(batches: Batches, batch_id: uuid.UUID, *, idle: Callable[[], bool]) -> BatchView:
    """Show progress until the batch ends; a batch left unfinished by idle jobs ends failed."""
    started = time.monotonic()
    while True:
        # Idle first, then the state: work that ended between the two is seen as ended.
        stalled = idle()
        view = batches.view(batch_id)
        finished = view.total - view.pending
        width = 30
        filled = int(width * finished / view.total) if view.total else width
        rate = finished / max(time.monotonic() - started, 1e-6)
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {finished}/{view.total}"
            f"  {rate:4.1f} dok/detik"
        )
        sys.stderr.flush()
        if view.status != "rendering":
            break
        if stalled:
            # No job is queued, running or waiting for a retry, yet the batch has not ended (the
            # record of a last failure could not be written): say so rather than wait for ever.
            batches.fail(batch_id, "Pekerjaan batch berhenti sebelum batch selesai; lihat log")
            view = batches.view(batch_id)
            break
        time.sleep(0.5)
    sys.stderr.write("\n")
    return view


def print_row_errors(refused: InvalidInput) -> None:
    """The rows the list was refused for, as the API lists them: row, column, message."""
    print(f"satupintu: {refused.message}", file=sys.stderr)
    errors: list[dict[str, Any]] = list(refused.extra.get("errors", []))
    table = [("Baris", "Kolom", "Keterangan")] + [
        (str(error["row"]), str(error["column"]), str(error["detail"])) for error in errors
    ]
    row_width = max(len(row) for row, _, _ in table)
    column_width = max(len(column) for _, column, _ in table)
    for row, column, detail in table:
        print(f"  {row:>{row_width}}  {column:<{column_width}}  {detail}", file=sys.stderr)
    hidden = int(refused.extra.get("error_count", len(errors))) - len(errors)
    if hidden > 0:
        print(f"  ... dan {hidden} kesalahan lain", file=sys.stderr)


def _summary(view: BatchView) -> None:
    print(f"batch {view.id}: {view.status}")
    print(f"  nomor {view.first_number} .. {view.last_number}")
    print(f"  terbit {view.issued}, batal {view.void}, dari {view.total}")


def _copy_out(batches: Batches, view: BatchView, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    store = batches.registry.production.store
    if view.merged_sha256:
        _save(store, view.merged_sha256, out / "gabungan.pdf")
    if view.zip_sha256:
        _save(store, view.zip_sha256, out / "dokumen.zip")
    for ref in view.documents:
        document = batches.registry.get(ref.id, CLI_ACTOR)
        for stored in document.files:
            if stored.attested:
                name = f"{ref.number.replace('/', '-')}.{stored.kind}"
                _save(store, stored.sha256, out / name)
    print(f"  berkas di {out}")


def _save(store: FileStore, sha256: str, target: Path) -> None:
    with target.open("wb") as out:
        for chunk in store.iter_chunks(sha256):
            out.write(chunk)


def _read_json(path: Path, type_: type[T], option: str) -> T:
    try:
        return msgspec.json.decode(path.read_bytes(), type=type_)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise InvalidInput(f"{option} {path}: {exc}", field=option) from None
