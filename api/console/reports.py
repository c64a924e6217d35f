"""Laporan JP in the console: a unit's yearly JP report with its charts and downloads, and an
employee's page (yearly JP, the MyASN rows, the Kartu Data PDF).

Every read goes through :class:`JpReports` and :class:`KartuCards`, as the API's reports do, so
the same visibility holds: issuers and auditors read every unit, a requester its own unit only
(another unit's report is refused, another unit's employee is "not found").
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from anyio import to_thread
from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from markupsafe import Markup

from api.console.filters import report_filter
from api.console.rendering import page
from api.console.session import require_role
from api.controllers.kartu import provide_cards
from api.controllers.reports import provide_reports
from registry.adapters.exports import ExportFile
from registry.domain.charts import (
    compliance_chart,
    monthly_chart,
    monthly_jp,
    monthly_jp_of_report,
    unit_compliance,
)
from registry.domain.content import PATH_LABELS
from registry.domain.formatting import number_id
from registry.domain.kartu import FIRST_YEAR
from registry.usecases.accounts import UserView
from registry.usecases.issuing import Registry
from registry.usecases.units import Units

#: Who reads JP reports in the console: as in the API (a requester only its own unit).
REPORT_READERS = ("issuer", "requester", "auditor")
#: Years offered in the year select, counting back from this year.
_YEARS_OFFERED = 6
JABATAN_LABELS = {"struktural": "Struktural", "fungsional": "Fungsional", "pelaksana": "Pelaksana"}


class ReportPages(Controller):
    path = "/laporan"
    include_in_schema = False

    @get("/", name="console-reports")
    async def unit_report(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        year: FromQuery[str | None] = None,
        unit: FromQuery[str | None] = None,
    ) -> Template:
        require_role(user, *REPORT_READERS)
        chosen = report_filter(registry, year, unit)
        reports = provide_reports(registry)
        units = Units(registry.db, now=registry.now, today=registry.local_today)
        report = await to_thread.run_sync(reports.unit_report, chosen.unit, chosen.year, user.actor)
        unit_list = await to_thread.run_sync(units.list_units, user.actor)
        names = {item.code: item.name for item in unit_list}
        monthly = monthly_jp_of_report(report)
        query = urlencode(
            {"year": chosen.year, **({"unit": report.unit_code} if chosen.unit else {})}
        )
        return page(
            request,
            "laporan_unit.html",
            user,
            report=report,
            year=chosen.year,
            years=_years(chosen.year, registry),
            units=unit_list,
            every_unit=user.actor.sees_every_unit,
            compliance_svg=Markup(  # noqa: S704
                compliance_chart(unit_compliance([report], names), chosen.year)
            ),
            monthly_svg=Markup(monthly_chart(monthly)) if monthly.total else None,  # noqa: S704
            query=query,
            number=number_id,
            jabatan_labels=JABATAN_LABELS,
        )

    @get("/unduh.csv", name="console-reports-csv")
    async def unit_report_csv(
        self,
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        year: FromQuery[str | None] = None,
        unit: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        return await self._unit_file(user, registry, year, unit, "csv")

    @get("/unduh.xlsx", name="console-reports-xlsx")
    async def unit_report_xlsx(
        self,
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        year: FromQuery[str | None] = None,
        unit: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        return await self._unit_file(user, registry, year, unit, "xlsx")

    async def _unit_file(
        self, user: UserView, registry: Registry, year: str | None, unit: str | None, format: str
    ) -> Response[bytes]:
        require_role(user, *REPORT_READERS)
        chosen = report_filter(registry, year, unit)
        reports = provide_reports(registry)
        report = await to_thread.run_sync(reports.unit_report, chosen.unit, chosen.year, user.actor)
        return _download(await to_thread.run_sync(reports.unit_report_file, report, format))

    @get("/pegawai/{nip:str}", name="console-employee-report")
    async def employee(
        self,
        request: Request[Any, Any, Any],
        nip: FromPath[str],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        year: FromQuery[str | None] = None,
    ) -> Template:
        require_role(user, *REPORT_READERS)
        chosen = report_filter(registry, year).year
        reports = provide_reports(registry)
        yearly = await to_thread.run_sync(reports.employee_year, nip, chosen, user.actor)
        export = await to_thread.run_sync(reports.myasn, nip, chosen, user.actor)
        monthly = monthly_jp(
            (item.document for item in yearly.documents), chosen, subject=yearly.employee.name
        )
        return page(
            request,
            "laporan_pegawai.html",
            user,
            yearly=yearly,
            myasn=export.rows,
            year=chosen,
            years=_years(chosen, registry),
            monthly_svg=Markup(monthly_chart(monthly)) if monthly.total else None,  # noqa: S704
            pdf_available=registry.production.pdf_available,
            number=number_id,
            path_labels=PATH_LABELS,
            jabatan_labels=JABATAN_LABELS,
        )

    @get("/pegawai/{nip:str}/myasn.csv", name="console-employee-myasn")
    async def employee_myasn(
        self,
        nip: FromPath[str],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        year: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        require_role(user, *REPORT_READERS)
        chosen = report_filter(registry, year).year
        reports = provide_reports(registry)
        export = await to_thread.run_sync(reports.myasn, nip, chosen, user.actor)
        return _download(reports.myasn_file(export, "csv"))

    @get("/pegawai/{nip:str}/kartu.pdf", name="console-employee-kartu")
    async def employee_kartu(
        self,
        nip: FromPath[str],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        year: FromQuery[str | None] = None,
    ) -> Response[bytes]:
        require_role(user, *REPORT_READERS)
        cards = provide_cards(registry)
        card = await to_thread.run_sync(cards.pdf, nip, year, user.actor)
        return Response(
            card.data,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'inline; filename="{card.filename}"',
                # Personal data (birth date, sex): no shared cache keeps it.
                "Cache-Control": "no-store",
            },
        )


def _years(chosen: int, registry: Registry) -> list[int]:
    this_year = registry.local_today().year
    offered = list(range(this_year, max(this_year - _YEARS_OFFERED, FIRST_YEAR - 1), -1))
    if chosen not in offered:
        offered.append(chosen)
    return offered


def _download(file: ExportFile) -> Response[bytes]:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{file.filename}"',
            "Cache-Control": "no-store",
        },
    )
