"""Yearly JP of an employee, a unit's JP report, and the MyASN "Riwayat Diklat" export.

Every export takes ``format``: ``json`` (the default), ``csv`` (UTF-8 with BOM) and, for the unit
report, ``xlsx``; files come with a ``Content-Disposition`` file name. ``year`` defaults to the
current year in the configured timezone.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency, Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, QueryParameter

from api.auth import READERS, allow, provide_actor
from api.openapi import KEYED, also_as_files, problems
from api.schemas_reports import EmployeeJp, MyAsnOut, UnitJpReport
from registry.adapters.exports import MEDIA_TYPES, ExportFile
from registry.domain.actors import Actor
from registry.usecases.issuing import Registry
from registry.usecases.jp_reports import JpReports

Year = Annotated[
    int | None,
    QueryParameter(ge=2000, le=2100, description="Default: this year (SATUPINTU_TIMEZONE)."),
]
ReportFormat = Annotated[str, QueryParameter(pattern="^(json|csv|xlsx)$")]
MyAsnFormat = Annotated[str, QueryParameter(pattern="^(json|csv)$")]
Nip = Annotated[str, FromPath]


def provide_reports(registry: NamedDependency[Registry]) -> JpReports:
    return JpReports(
        registry.db,
        registry.links,
        rule_set=registry.settings.jp_rules,
        today=registry.local_today,
    )


def _download(file: ExportFile) -> Response[bytes]:
    return Response(
        file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
    )


def _year(year: int | None, registry: Registry) -> int:
    return registry.local_today().year if year is None else year


_DEPENDENCIES = {
    "actor": Provide(provide_actor),
    "reports": Provide(provide_reports, sync_to_thread=False),
}


class EmployeeReportController(Controller):
    path = "/api/v1/employees"
    tags = ["reports"]
    security = KEYED
    dependencies = _DEPENDENCIES

    @get(
        "/{nip:str}/jp",
        guards=[allow(*READERS)],
        operation_id="employeeYearlyJp",
        responses=problems(lookup=True),
        sync_to_thread=True,
    )
    def yearly_jp(
        self,
        nip: Nip,
        reports: NamedDependency[JpReports],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
        year: Year = None,
    ) -> EmployeeJp:
        """The employee's JP of the year from valid documents, counted in the year each credited
        activity or session ended: `total`, `by_path`, `minimum` (20) and `met`, the PPPK
        `ceiling` where the rule set has one, the IP ASN competence points, and the documents.

        A requester sees only employees rostered in its unit (others: 404).
        """
        return EmployeeJp.of(reports.employee_year(nip, _year(year, registry), actor))

    @get(
        "/{nip:str}/myasn",
        guards=[allow(*READERS)],
        operation_id="employeeMyAsn",
        operation_class=also_as_files(MEDIA_TYPES["csv"]),
        sync_to_thread=True,
        responses={
            **problems(lookup=True),
            200: ResponseSpec(
                MyAsnOut, description="JSON; with format=csv, a CSV of the same rows"
            ),
        },
    )
    def myasn(
        self,
        nip: Nip,
        reports: NamedDependency[JpReports],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
        year: Year = None,
        format: MyAsnFormat = "json",
    ) -> Response[Any]:
        """One MyASN "Riwayat Diklat" row per valid document that ended in the year: the form's
        fields (seed 002), SIASN `jenis_diklat_id`, dd-mm-yyyy dates, the PDF and verify links."""
        export = reports.myasn(nip, _year(year, registry), actor)
        if format == "json":
            return Response(MyAsnOut.of(export))
        return _download(reports.myasn_file(export, format))


class ReportController(Controller):
    path = "/api/v1/reports"
    tags = ["reports"]
    security = KEYED
    dependencies = _DEPENDENCIES

    @get(
        "/jp",
        guards=[allow(*READERS)],
        operation_id="unitJpReport",
        operation_class=also_as_files(MEDIA_TYPES["csv"], MEDIA_TYPES["xlsx"]),
        sync_to_thread=True,
        responses={
            **problems(),
            200: ResponseSpec(
                UnitJpReport, description="JSON; with format=csv or xlsx, a file of the same rows"
            ),
        },
    )
    def unit_jp(
        self,
        reports: NamedDependency[JpReports],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
        year: Year = None,
        unit: Annotated[str | None, QueryParameter(max_length=30)] = None,
        format: ReportFormat = "json",
    ) -> Response[Any]:
        """Every employee rostered in the unit, with 0 JP too: total, met or not, IP ASN points.

        Issuers and auditors name any unit, or none for every unit's roster; a requester gets its
        own unit (another unit: 403).
        """
        report = reports.unit_report(unit, _year(year, registry), actor)
        if format == "json":
            return Response(UnitJpReport.of(report))
        return _download(reports.unit_report_file(report, format))
