"""Pengaturan › Unit: units with the head who signs their surat keterangan, and their rosters.

The same ``Units`` use case as ``/api/v1/units`` and ``satupintu unit add|roster import``.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.console.rendering import page
from api.console.settings_forms import (
    SETTINGS_PATH,
    FormState,
    no_error,
    refused,
    require_admin,
    text,
)
from api.uploads import read_upload, takes_uploads
from registry.domain.errors import InvalidInput, RegistryError
from registry.domain.units import HeadDraft, UnitDraft
from registry.usecases.accounts import UserView
from registry.usecases.issuing import Registry
from registry.usecases.units import RosterImport, Units, UnitView

UNITS_PATH = f"{SETTINGS_PATH}/unit"
UNIT_FIELDS = ("code", "name", "head.name", "head.nip", "head.rank", "head.position")
#: The use case names the unit's fields as the form does.
UNIT_FIELD_NAMES = {name: name for name in UNIT_FIELDS}
UNIT_NOTICES = {
    "ditambahkan": "Unit ditambahkan.",
    "disimpan": "Perubahan unit disimpan.",
}
EMPLOYMENT_LABELS = {"pns": "PNS", "pppk": "PPPK"}
IMPORT_COUNTS = ("baris", "baru", "diperbarui", "tetap", "di_luar")


def _units(registry: Registry) -> Units:
    return Units(registry.db, now=registry.now, today=registry.local_today)


def _draft(code: str, values: dict[str, str]) -> UnitDraft:
    head = HeadDraft(
        values["head.name"], values["head.nip"], values["head.rank"], values["head.position"]
    )
    return UnitDraft(code, values["name"], head)


def _values(unit: UnitView) -> dict[str, str]:
    head = unit.head
    return {
        "code": unit.code,
        "name": unit.name,
        "head.name": head.name if head else "",
        "head.nip": head.nip if head else "",
        "head.rank": head.rank if head else "",
        "head.position": head.position if head else "",
    }


class SettingsUnits(Controller):
    path = "/pengaturan/unit"
    include_in_schema = False

    @get("/", name="console-settings-units")
    async def units(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        require_admin(user)
        notice = UNIT_NOTICES.get(selesai or "")
        return await self._list_page(request, user, registry, FormState(notice=notice))

    @post("/", name="console-settings-unit-add")
    async def add(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template | Redirect:
        require_admin(user)
        form = await request.form()
        values = {name: text(form, name) for name in UNIT_FIELDS}
        # Codes are upper case on every number; "dinkes" typed is plainly DINKES.
        values["code"] = values["code"].upper()
        units = _units(registry)
        draft = _draft(values["code"], values)
        try:
            saved = await to_thread.run_sync(
                lambda: units.save(draft, user.actor, must_be_new=True)
            )
        except RegistryError as error:
            state = FormState.refused(values, error, UNIT_FIELD_NAMES)
            return await self._list_page(request, user, registry, state)
        return Redirect(f"{UNITS_PATH}?selesai=ditambahkan#unit-{saved.unit.code}", status_code=303)

    @get("/{code:str}", name="console-settings-unit")
    async def unit(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        code: FromPath[str],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        require_admin(user)
        units = _units(registry)
        found = await to_thread.run_sync(lambda: units.get(code, user.actor))
        return page(
            request,
            "pengaturan_unit_ubah.html",
            user,
            unit=found,
            form=_values(found),
            notice=UNIT_NOTICES.get(selesai or ""),
            **no_error(),
        )

    @post("/{code:str}", name="console-settings-unit-save")
    async def save(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        code: FromPath[str],
    ) -> Template | Redirect:
        require_admin(user)
        units = _units(registry)
        found = await to_thread.run_sync(lambda: units.get(code, user.actor))
        form = await request.form()
        values = {name: text(form, name) for name in UNIT_FIELDS}
        values["code"] = found.code
        draft = _draft(found.code, values)
        try:
            await to_thread.run_sync(lambda: units.save(draft, user.actor))
        except RegistryError as error:
            context = refused(error, UNIT_FIELD_NAMES)
            return page(
                request,
                "pengaturan_unit_ubah.html",
                user,
                unit=found,
                form=values,
                notice=None,
                **context,
            )
        return Redirect(f"{UNITS_PATH}/{found.code}?selesai=disimpan", status_code=303)

    # -- the roster -----------------------------------------------------------------------------

    @get("/{code:str}/pegawai", name="console-settings-roster")
    async def roster(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        code: FromPath[str],
        selesai: FromQuery[str | None] = None,
        baris: FromQuery[int | None] = None,
        baru: FromQuery[int | None] = None,
        diperbarui: FromQuery[int | None] = None,
        tetap: FromQuery[int | None] = None,
        di_luar: FromQuery[int | None] = None,
    ) -> Template:
        require_admin(user)
        imported = None
        if selesai == "diimpor" and None not in (baris, baru, diperbarui, tetap, di_luar):
            imported = {
                "rows": baris,
                "created": baru,
                "updated": diperbarui,
                "unchanged": tetap,
                "not_in_file": di_luar,
            }
        return await self._roster_page(
            request, user, registry, code, imported=imported, row_errors=[], **no_error()
        )

    @post(
        "/{code:str}/pegawai",
        name="console-settings-roster-import",
        opt=takes_uploads(),
    )
    async def import_roster(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        code: FromPath[str],
    ) -> Template | Redirect:
        require_admin(user)
        units = _units(registry)
        form = await request.form()
        upload = form.get("file")
        try:
            if not isinstance(upload, UploadFile) or not upload.filename:
                raise InvalidInput("Pilih berkas daftar pegawai (CSV atau XLSX)", field="file")
            data = read_upload(upload, registry.settings.max_upload_bytes)
            filename = upload.filename
            result = await to_thread.run_sync(
                lambda: units.import_roster(code, data, user.actor, filename=filename)
            )
        except RegistryError as error:
            context = refused(error, {"file": "file"})
            rows: list[dict[str, Any]] = list(error.extra.get("errors", []))
            return await self._roster_page(
                request,
                user,
                registry,
                code,
                imported=None,
                row_errors=rows,
                error_count=int(error.extra.get("error_count", len(rows))),
                **context,
            )
        return Redirect(_imported_url(result), status_code=303)

    # -- inside ---------------------------------------------------------------------------------

    async def _list_page(
        self, request: Request[Any, Any, Any], user: UserView, registry: Registry, state: FormState
    ) -> Template:
        units = _units(registry)
        views = await to_thread.run_sync(lambda: units.list_units(user.actor))
        return page(request, "pengaturan_unit.html", user, units=views, **state.context())

    async def _roster_page(
        self,
        request: Request[Any, Any, Any],
        user: UserView,
        registry: Registry,
        code: str,
        *,
        imported: dict[str, int | None] | None,
        row_errors: list[dict[str, Any]],
        error: dict[str, str] | None,
        errors: dict[str, str],
        error_count: int = 0,
        status_code: int = 200,
    ) -> Template:
        units = _units(registry)

        def load() -> tuple[UnitView, list[Any]]:
            return units.get(code, user.actor), units.employees(code, user.actor)

        unit, employees = await to_thread.run_sync(load)
        return page(
            request,
            "pengaturan_pegawai.html",
            user,
            status_code=status_code,
            unit=unit,
            employees=employees,
            employment_labels=EMPLOYMENT_LABELS,
            imported=imported,
            row_errors=row_errors,
            error_count=error_count,
            error=error,
            errors=errors,
        )


def _imported_url(result: RosterImport) -> str:
    counts = (result.rows, result.created, result.updated, result.unchanged, result.not_in_file)
    query = "&".join(f"{name}={value}" for name, value in zip(IMPORT_COUNTS, counts, strict=True))
    return f"{UNITS_PATH}/{result.unit_code}/pegawai?selesai=diimpor&{query}"
