"""``satupintu request list|show|approve|reject``: BPSDM works the queue of surat keterangan
requests from the command line, as the operator (``CLI_ACTOR``, who may approve and reject).

Refusals (a request already decided, a log that credits 0 JP, an unknown id) print the reason in
Indonesian and exit 2, like every other command.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from typing import Any

from registry.adapters.libreoffice import UnavailableConverter
from registry.bootstrap import build_registry, initialize
from registry.domain.actors import CLI_ACTOR
from registry.domain.errors import InvalidInput
from registry.domain.formatting import number_id
from registry.domain.nip import format_nip
from registry.domain.requests import STATUS_LABELS, RequestStatus
from registry.domain.views import DocumentView
from registry.settings import Settings
from registry.usecases.requests import Requests, RequestView

#: How the person who guides is named, per role in the body.
_GUIDE_LABELS = {"coach": "Coach", "mentor": "Mentor", "supervisor": "Pembimbing"}


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    request = commands.add_parser(
        "request", help="surat keterangan requests (SKPD): list, show, approve, reject"
    ).add_subparsers(required=True)
    listing = request.add_parser("list", help="requests, the oldest submitted first")
    listing.add_argument("--status", help="draft, submitted, approved, rejected or withdrawn")
    listing.add_argument("--unit", help="unit code, e.g. DPUPR")
    listing.set_defaults(handler=request_list)
    show = request.add_parser("show", help="one request with the JP of every session")
    show.add_argument("id", type=_request_id, help="the request id")
    show.set_defaults(handler=request_show)
    approve = request.add_parser("approve", help="issue the numbered, signed surat keterangan")
    approve.add_argument("id", type=_request_id, help="the request id")
    approve.set_defaults(handler=request_approve)
    reject = request.add_parser("reject", help="refuse the request with a reason it reads")
    reject.add_argument("id", type=_request_id, help="the request id")
    reject.add_argument("--reason", required=True, help="why (the requester reads it)")
    reject.set_defaults(handler=request_reject)


def _request_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ID permohonan harus berupa UUID (diterima {value!r})"
        ) from None


@contextmanager
def _requests(settings: Settings, *, converts: bool = False) -> Iterator[Requests]:
    """The requests use case on a registry of its own; only an approval converts to PDF, and it
    converts one letter, so it starts one LibreOffice process rather than the service's pool."""
    initialize(settings)
    if converts:
        registry = build_registry(replace(settings, converters=1))
    else:
        registry = build_registry(settings, converter=UnavailableConverter())
    try:
        yield Requests(registry)
    finally:
        registry.production.close()
        registry.db.dispose()


def request_list(args: argparse.Namespace, settings: Settings) -> int:
    with _requests(settings) as requests:
        views = requests.list(CLI_ACTOR, status=args.status, unit=args.unit)
        local = _local_time(settings)
    if not views:
        print("Tidak ada permohonan.")
        return 0
    table = [("ID", "Status", "Unit", "Jenis", "NIP", "Pegawai", "JP", "Diajukan")]
    for view in views:
        table.append(
            (
                str(view.id),
                view.status,
                view.unit_code,
                view.kind,
                view.employee["nip"],
                view.employee["name"],
                number_id(view.credit.jp) if view.credit else "-",
                local(view.submitted_at),
            )
        )
    _print_table(table)
    print(f"{len(views)} permohonan")
    return 0


def request_show(args: argparse.Namespace, settings: Settings) -> int:
    with _requests(settings) as requests:
        view = requests.get(args.id, CLI_ACTOR)
        letter = _letter(requests, view)
        local = _local_time(settings)
    _print_request(view, letter, local)
    return 0


def request_approve(args: argparse.Namespace, settings: Settings) -> int:
    with _requests(settings, converts=True) as requests:
        production = requests.registry.production
        if not production.pdf_available:
            print(f"perhatian: {production.pdf_unavailable_reason}", file=sys.stderr)
        try:
            view = requests.approve(args.id, CLI_ACTOR)
        except InvalidInput as refused:
            if "sessions" not in refused.extra:
                raise
            print(f"satupintu: {refused.message}", file=sys.stderr)
            _print_verdicts(refused.extra["sessions"], file=sys.stderr)
            return 2
        letter = _letter(requests, view)
    if letter is None:  # an approval links its issued letter; this would be a bug
        raise RuntimeError(f"permohonan {view.id} disetujui tanpa surat keterangan")
    # The letter's JP, as settled in its numbering transaction against the employee's other
    # valid letters (what is printed on it), not the request's first estimate.
    print(
        f"Permohonan {view.id} disetujui: surat keterangan {letter.number} terbit "
        f"({number_id(letter.jp)} JP)."
    )
    print(f"  dokumen {letter.id}")
    return 0


def request_reject(args: argparse.Namespace, settings: Settings) -> int:
    with _requests(settings) as requests:
        view = requests.reject(args.id, args.reason, CLI_ACTOR)
    print(f"Permohonan {view.id} ditolak. Alasan: {view.reason}")
    return 0


def _letter(requests: Requests, view: RequestView) -> DocumentView | None:
    if view.document_id is None:
        return None
    return requests.registry.get(view.document_id, CLI_ACTOR)


def _local_time(settings: Settings) -> Callable[[datetime | None], str]:
    def local(moment: datetime | None) -> str:
        return "-" if moment is None else f"{moment.astimezone(settings.zone):%Y-%m-%d %H:%M}"

    return local


def _print_request(
    view: RequestView, letter: DocumentView | None, local: Callable[[datetime | None], str]
) -> None:
    employee = view.employee
    status = RequestStatus(view.status)
    print(f"Permohonan {view.id}")
    fields = [
        ("Status", f"{STATUS_LABELS[status]} ({status.value})"),
        ("Unit", view.unit_code),
        ("Jenis", f"{view.kind}, lingkup {view.scope}"),
        (
            "Pegawai",
            _joined(
                employee["name"],
                f"NIP {format_nip(employee['nip'], employee.get('employment') or 'pns')}",
                employee.get("rank"),
                employee.get("position"),
                employee.get("unit"),
            ),
        ),
    ]
    if view.guide is not None and view.guide_role is not None:
        guide = view.guide
        nip = f"NIP {format_nip(guide['nip'])}" if guide.get("nip") else None
        fields.append(
            (_GUIDE_LABELS[view.guide_role], _joined(guide["name"], nip, guide.get("position")))
        )
    fields += [
        ("Dibuat", f"{local(view.created_at)} oleh {view.created_by}"),
        ("Diajukan", local(view.submitted_at)),
    ]
    if view.decided_at is not None:
        fields.append(("Diputuskan", f"{local(view.decided_at)} oleh {view.decided_by}"))
    if view.reason:
        fields.append(("Alasan penolakan", view.reason))
    if letter is not None:
        fields.append(
            ("Surat keterangan", f"{letter.number}, {letter.status} (dokumen {letter.id})")
        )
    width = max(len(label) for label, _ in fields)
    for label, value in fields:
        print(f"  {label:<{width}} : {value}")

    print("Sesi:")
    verdicts: Sequence[Any] = view.credit.entries if view.credit else [None] * len(view.sessions)
    table = [("No", "Tanggal", "Lama", "Topik", "JP", "Dihitung", "Keterangan")]
    for number, (entry, verdict) in enumerate(zip(view.sessions, verdicts, strict=True), 1):
        length = (
            f"{entry['minutes']} menit" if "minutes" in entry else f"{number_id(entry['jp'])} JP"
        )
        table.append(
            (
                str(number),
                entry["date"],
                length,
                entry["topic"],
                "-" if verdict is None else number_id(verdict.jp),
                "-" if verdict is None else ("ya" if verdict.counted else "tidak"),
                "" if verdict is None else verdict.reason or "",
            )
        )
    _print_table(table, indent="  ")
    if view.credit is not None:
        print(f"Jumlah JP: {number_id(view.credit.jp)}")
    else:
        print(f"Jumlah JP tidak dapat dihitung: {view.credit_error}")

    print("Bukti dukung:" if view.evidence else "Bukti dukung: belum ada")
    for item in view.evidence:
        size = f"{number_id(str(round(item.size / 1000, 1)))} KB"
        print(f"  {item.kind:<15} {item.media_type:<16} {size:>10}  {item.filename or '-'}")


def _print_verdicts(sessions: Sequence[dict[str, Any]], *, file: Any) -> None:
    table = [("Tanggal", "JP", "Dihitung", "Keterangan")] + [
        (
            s["date"],
            number_id(s["jp"]),
            "ya" if s["counted"] else "tidak",
            s.get("reason") or "",
        )
        for s in sessions
    ]
    _print_table(table, indent="  ", file=file)


def _print_table(rows: Sequence[Sequence[str]], *, indent: str = "", file: Any = None) -> None:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        cells = [f"{cell:<{width}}" for cell, width in zip(row, widths, strict=True)]
        print(indent + "  ".join(cells).rstrip(), file=file)


def _joined(*parts: str | None) -> str:
    return ", ".join(part for part in parts if part)
