"""What the console's home page (Beranda) shows a person: what waits for them.

Issuers (and the operator) see the submitted requests waiting for a decision (oldest first),
the batches still rendering and how many documents were issued this month. A requester sees its
own unit's requests by status. Everyone who may read JP reports sees the units whose rostered
employees have not all met the yearly minimum, computed by :class:`JpReports` (so the same
visibility rules apply: a requester sees its own unit only).
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select

from registry.adapters.db.schema import Batch, Document, Request, Unit
from registry.domain import charts
from registry.domain.actors import Actor
from registry.domain.jp_reports import UnitReport
from registry.usecases.issuing import Registry
from registry.usecases.jp_reports import JpReports
from registry.usecases.mail_failures import MailFailures

__all__ = ["BatchSummary", "Dashboard", "Home", "RequestSummary", "UnitCompliance"]

_DECIDERS = ("issuer", "operator")
_REPORT_READERS = ("issuer", "operator", "auditor", "requester")
# The home page lists the oldest few; the full queue is the Permohonan page's.
_SHOWN = 10


@dataclass(frozen=True)
class RequestSummary:
    id: uuid.UUID
    unit_code: str
    kind: str
    status: str
    employee_name: str
    submitted_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class BatchSummary:
    id: uuid.UUID
    type: str
    total: int
    first_number: str
    last_number: str
    created_at: datetime


@dataclass(frozen=True)
class UnitCompliance:
    unit_code: str
    unit_name: str
    employees: int
    met: int

    @property
    def not_met(self) -> int:
        return self.employees - self.met


@dataclass(frozen=True)
class Home:
    year: int
    #: Issuers: the submitted requests waiting (oldest first, at most a few) and how many wait.
    waiting: tuple[RequestSummary, ...] = ()
    waiting_total: int = 0
    running_batches: tuple[BatchSummary, ...] = ()
    issued_this_month: int | None = None
    #: Requesters: their unit's requests per status, and the latest few.
    unit_status_counts: tuple[tuple[str, int], ...] = ()
    unit_requests: tuple[RequestSummary, ...] = ()
    #: Units with rostered employees below the yearly minimum (fewest met first).
    units_below: tuple[UnitCompliance, ...] = ()
    #: Every unit with a roster and its share at the minimum, lowest first (the chart's bars).
    compliance: tuple[charts.UnitCompliance, ...] = ()
    shows_decisions: bool = False
    shows_unit_requests: bool = False
    shows_jp: bool = False
    #: Admins: notification e-mails that failed in the last seven days (None for other roles).
    failed_mail_last_week: int | None = None


class Dashboard:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.db = registry.db
        self.reports = JpReports(
            registry.db,
            registry.links,
            rule_set=registry.settings.jp_rules,
            today=registry.local_today,
        )

    def home(self, actor: Actor) -> Home:
        today = self.registry.local_today()
        deciding = actor.role in _DECIDERS
        requesting = actor.role == "requester" and actor.unit_code is not None
        waiting: tuple[RequestSummary, ...] = ()
        waiting_total = 0
        batches: tuple[BatchSummary, ...] = ()
        issued: int | None = None
        counts: tuple[tuple[str, int], ...] = ()
        latest: tuple[RequestSummary, ...] = ()
        with self.db.reading() as session:
            if deciding:
                submitted = select(Request).where(Request.status == "submitted")
                waiting_total = session.execute(
                    select(func.count()).select_from(submitted.subquery())
                ).scalar_one()
                waiting = tuple(
                    _summary(row)
                    for row in session.execute(
                        submitted.order_by(Request.submitted_at, Request.id).limit(_SHOWN)
                    ).scalars()
                )
                batches = tuple(
                    _batch(row)
                    for row in session.execute(
                        select(Batch).where(Batch.status == "rendering").order_by(Batch.created_at)
                    ).scalars()
                )
                zone = self.registry.settings.zone
                month_start = datetime(today.year, today.month, 1, tzinfo=zone).astimezone(UTC)
                issued = session.execute(
                    select(func.count())
                    .select_from(Document)
                    .where(
                        Document.issued_at >= month_start,
                        Document.status.in_(("issued", "revoked", "superseded")),
                    )
                ).scalar_one()
            if requesting:
                unit_rows = select(Request).where(Request.unit_code == actor.unit_code)
                tally = Counter(
                    session.execute(
                        select(Request.status).where(Request.unit_code == actor.unit_code)
                    ).scalars()
                )
                counts = tuple(sorted(tally.items()))
                latest = tuple(
                    _summary(row)
                    for row in session.execute(
                        unit_rows.order_by(Request.created_at.desc(), Request.id).limit(_SHOWN)
                    ).scalars()
                )
            names = {code: name for code, name in session.execute(select(Unit.code, Unit.name))}
        shows_jp = actor.role in _REPORT_READERS and (actor.sees_every_unit or requesting)
        below: tuple[UnitCompliance, ...] = ()
        compliance: tuple[charts.UnitCompliance, ...] = ()
        if shows_jp:
            report = self.reports.unit_report(None, today.year, actor)
            below = units_below(report, names)
            compliance = tuple(charts.unit_compliance([report], names))
        failed_mail = None
        if actor.role == "admin":
            failed_mail = MailFailures(self.db).count_last_week(actor, self.registry.now())
        return Home(
            year=today.year,
            failed_mail_last_week=failed_mail,
            waiting=waiting,
            waiting_total=waiting_total,
            running_batches=batches,
            issued_this_month=issued,
            unit_status_counts=counts,
            unit_requests=latest,
            units_below=below,
            compliance=compliance,
            shows_decisions=deciding,
            shows_unit_requests=requesting,
            shows_jp=shows_jp,
        )


def units_below(report: UnitReport, names: dict[str, str]) -> tuple[UnitCompliance, ...]:
    """Per unit of the report, how many rostered employees met the minimum; only units where
    someone has not, the lowest share first."""
    employees: Counter[str] = Counter()
    met: Counter[str] = Counter()
    for row in report.rows:
        code = row.employee.unit_code or "-"
        employees[code] += 1
        met[code] += int(row.met)
    units = [
        UnitCompliance(code, names.get(code, code), employees[code], met[code])
        for code in employees
        if met[code] < employees[code]
    ]
    return tuple(sorted(units, key=lambda unit: (unit.met / unit.employees, unit.unit_code)))


def _summary(row: Request) -> RequestSummary:
    employee = row.employee or {}
    return RequestSummary(
        id=row.id,
        unit_code=row.unit_code,
        kind=row.kind,
        status=row.status,
        employee_name=str(employee.get("name", "")),
        submitted_at=row.submitted_at,
        created_at=row.created_at,
    )


def _batch(row: Batch) -> BatchSummary:
    return BatchSummary(
        id=row.id,
        type=row.type,
        total=row.total,
        first_number=row.first_number,
        last_number=row.last_number,
        created_at=row.created_at,
    )
