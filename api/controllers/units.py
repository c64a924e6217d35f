"""Work units and their employee rosters."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency, Provide
from litestar.openapi import ResponseSpec
from litestar.params import FromPath, JSONBody

from api.auth import AUDITOR, ISSUER, READERS, REQUESTER, allow, provide_actor
from api.openapi import KEYED, problems
from api.schemas_units import (
    EmployeeList,
    EmployeeOut,
    RosterImported,
    UnitIn,
    UnitList,
    UnitOut,
)
from api.uploads import read_upload, takes_uploads
from registry.domain.actors import Actor
from registry.domain.errors import InvalidInput
from registry.usecases.issuing import Registry
from registry.usecases.units import Units


def provide_units(registry: NamedDependency[Registry]) -> Units:
    return Units(registry.db, now=registry.now, today=registry.local_today)


class UnitController(Controller):
    path = "/api/v1/units"
    tags = ["units"]
    security = KEYED
    dependencies = {
        "actor": Provide(provide_actor),
        "units": Provide(provide_units, sync_to_thread=False),
    }

    @post(
        "",
        guards=[allow(ISSUER)],
        operation_id="saveUnit",
        responses={**problems(body=True), 200: ResponseSpec(UnitOut, description="Unit updated")},
        sync_to_thread=True,
    )
    def save(
        self, data: JSONBody[UnitIn], units: NamedDependency[Units], actor: NamedDependency[Actor]
    ) -> Response[UnitOut]:
        """Add a unit (201) or update the unit with this code (200), e.g. when its head changes.

        `head` (name, NIP, rank, position) is given whole or not at all; without it, the unit's
        surat keterangan are signed by the agency's signer.
        """
        saved = units.save(data.to_draft(), actor)
        return Response(
            UnitOut.from_view(saved.unit),
            status_code=201 if saved.created else 200,
            headers={"Location": f"/api/v1/units/{saved.unit.code}"},
        )

    @get(
        "",
        guards=[allow(*READERS)],
        operation_id="listUnits",
        responses=problems(inputs=False),
        sync_to_thread=True,
    )
    def list_units(self, units: NamedDependency[Units], actor: NamedDependency[Actor]) -> UnitList:
        """Every unit for issuers and auditors; a requester sees its own unit."""
        return UnitList([UnitOut.from_view(view) for view in units.list_units(actor)])

    @get(
        "/{code:str}",
        guards=[allow(*READERS)],
        operation_id="getUnit",
        responses=problems(lookup=True),
        sync_to_thread=True,
    )
    def unit(
        self, code: FromPath[str], units: NamedDependency[Units], actor: NamedDependency[Actor]
    ) -> UnitOut:
        return UnitOut.from_view(units.get(code, actor))

    @post(
        "/{code:str}/employees",
        guards=[allow(ISSUER, REQUESTER)],
        operation_id="importRoster",
        responses=problems(lookup=True, uploads=True),
        opt=takes_uploads(),
    )
    async def import_roster(
        self,
        code: FromPath[str],
        request: Request[Any, Any, Any],
        units: NamedDependency[Units],
        registry: NamedDependency[Registry],
        actor: NamedDependency[Actor],
    ) -> RosterImported:
        """Import the unit's roster from a CSV or XLSX (multipart part `file`); updates by NIP.

        One bad row refuses the whole file (422 with `errors: [{row, column, detail}]`) and nothing
        is imported. Employees the file does not list stay rostered and are counted in
        `not_in_file`. Issuers import for any unit; a requester only for its own.
        """
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "multipart/form-data":
            raise InvalidInput(
                "Kirim multipart/form-data dengan bagian 'file' (CSV atau XLSX)",
                field="content-type",
            )
        form = await request.form()
        upload = form.get("file")
        data = read_upload(upload, registry.settings.max_upload_bytes)
        filename = upload.filename if isinstance(upload, UploadFile) else None
        result = await to_thread.run_sync(
            lambda: units.import_roster(code, data, actor, filename=filename)
        )
        return RosterImported.from_result(result)

    @get(
        "/{code:str}/employees",
        guards=[allow(ISSUER, REQUESTER, AUDITOR)],
        operation_id="listEmployees",
        responses=problems(lookup=True),
        sync_to_thread=True,
    )
    def employees(
        self, code: FromPath[str], units: NamedDependency[Units], actor: NamedDependency[Actor]
    ) -> EmployeeList:
        """The unit's rostered employees, by name; a requester sees only its own unit's."""
        views = units.employees(code, actor)
        return EmployeeList(code, [EmployeeOut.from_view(view) for view in views])
