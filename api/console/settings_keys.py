"""Pengaturan › Kunci API and › Kunci penandatangan.

The same ``ApiKeys`` and ``SigningKeys`` use cases as ``satupintu apikey`` and ``satupintu keys``.
A new API key's secret is shown once, on the answer to the form (never in a URL, never cached);
a signing key is shown by its public thumbprint only.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from api.console.confirmation import confirm_then_act, see_other
from api.console.rendering import page
from api.console.session import ROLE_LABELS
from api.console.settings_forms import (
    ADMIN,
    SETTINGS_PATH,
    FormState,
    not_cached,
    require_admin,
    role_options,
    text,
    unit_options,
)
from registry.adapters.db.schema import ROLES
from registry.domain.errors import NotFound, RegistryError
from registry.usecases.accounts import UserView
from registry.usecases.api_keys import ApiKeys
from registry.usecases.issuing import Registry
from registry.usecases.signing_keys import SigningKeys
from registry.usecases.units import Units

API_KEYS_PATH = f"{SETTINGS_PATH}/kunci-api"
SIGNING_KEYS_PATH = f"{SETTINGS_PATH}/kunci"
API_KEY_NOTICES = {"dicabut": "Kunci API dicabut. Aplikasi yang memakainya tidak dapat masuk lagi."}
SIGNING_KEY_NOTICES = {
    "diganti": "Kunci penandatangan diganti. Dokumen baru ditandatangani kunci aktif yang baru; "
    "dokumen lama tetap dapat diverifikasi dengan kuncinya masing-masing."
}
API_KEY_FIELDS = {"role": "role", "unit": "unit", "name": "name"}


def _api_keys(registry: Registry) -> ApiKeys:
    return ApiKeys(registry.db, now=registry.now)


def _signing_keys(registry: Registry) -> SigningKeys:
    return SigningKeys(registry.db, registry.keyring, now=registry.now)


# -- confirm then act: revoking an API key, rotating the signing key ---------------------------


async def _revoke_page(
    request: Request[Any, Any, Any], user: UserView, registry: Registry, _: RegistryError | None
) -> Template:
    key_id = request.path_params["key_id"]
    keys = _api_keys(registry)
    listed = await to_thread.run_sync(lambda: keys.list_keys(user.actor))
    key = next((key for key in listed if key.id == key_id), None)
    if key is None:
        raise NotFound(f"Kunci API {key_id!r} tidak ditemukan")
    return page(request, "pengaturan_kunci_api_cabut.html", user, key=key, role_labels=ROLE_LABELS)


async def _revoke(request: Request[Any, Any, Any], user: UserView, registry: Registry) -> Redirect:
    key_id = request.path_params["key_id"]
    keys = _api_keys(registry)
    await to_thread.run_sync(lambda: keys.revoke(key_id, user.actor))
    return see_other(f"{API_KEYS_PATH}?selesai=dicabut")


async def _rotate_page(
    request: Request[Any, Any, Any], user: UserView, registry: Registry, _: RegistryError | None
) -> Template:
    keys = _signing_keys(registry)
    listed = await to_thread.run_sync(lambda: keys.list_keys(user.actor))
    active = next((key for key in listed if key.active), None)
    return page(request, "pengaturan_kunci_ganti.html", user, active=active)


async def _rotate(request: Request[Any, Any, Any], user: UserView, registry: Registry) -> Redirect:
    form = await request.form()
    # The key the confirmation showed: a second submit finds it replaced and does nothing.
    expected = text(form, "active", 100) or None
    keys = _signing_keys(registry)
    await to_thread.run_sync(lambda: keys.rotate(user.actor, expected_active=expected))
    return see_other(f"{SIGNING_KEYS_PATH}?selesai=diganti")


class SettingsKeys(Controller):
    path = "/pengaturan"
    include_in_schema = False

    # -- API keys -------------------------------------------------------------------------------

    @get("/kunci-api", name="console-settings-api-keys")
    async def api_keys(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        require_admin(user)
        notice = API_KEY_NOTICES.get(selesai or "")
        return await self._api_keys_page(request, user, registry, FormState(notice=notice))

    @post("/kunci-api", name="console-settings-api-key-create", status_code=200)
    async def create_api_key(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        require_admin(user)
        form = await request.form()
        values = {name: text(form, name) for name in ("role", "unit", "name")}
        values["idempotency_key"] = text(form, "idempotency_key", 200)
        role = values["role"]
        keys = _api_keys(registry)
        try:
            created = await to_thread.run_sync(
                lambda: keys.create(
                    role=role,
                    # Only a requester key is bound to a unit (as `satupintu apikey create`).
                    unit_code=values["unit"] or None if role == "requester" else None,
                    name=values["name"] or None,
                    actor=user.actor,
                    idempotency_key=values["idempotency_key"] or None,
                )
            )
        except RegistryError as error:
            state = FormState.refused(values, error, API_KEY_FIELDS)
            return await self._api_keys_page(request, user, registry, state)
        return not_cached(
            page(
                request,
                "pengaturan_kunci_api_baru.html",
                user,
                key=created.actor,
                secret=created.secret,
                role_labels=ROLE_LABELS,
            )
        )

    confirm_revoke, revoke = confirm_then_act(
        "/kunci-api/{key_id:str}/cabut",
        name="console-settings-api-key-revoke",
        roles=ADMIN,
        page=_revoke_page,
        act=_revoke,
        refusal_on_page=False,
    )

    # -- signing keys ---------------------------------------------------------------------------

    @get("/kunci", name="console-settings-signing-keys")
    async def signing_keys(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        require_admin(user)
        keys = _signing_keys(registry)
        listed = await to_thread.run_sync(lambda: keys.list_keys(user.actor))
        return page(
            request,
            "pengaturan_kunci.html",
            user,
            keys=listed,
            notice=SIGNING_KEY_NOTICES.get(selesai or ""),
        )

    confirm_rotate, rotate = confirm_then_act(
        "/kunci/ganti",
        name="console-settings-signing-key-rotate",
        roles=ADMIN,
        page=_rotate_page,
        act=_rotate,
        refusal_on_page=False,
    )

    # -- inside ---------------------------------------------------------------------------------

    async def _api_keys_page(
        self, request: Request[Any, Any, Any], user: UserView, registry: Registry, state: FormState
    ) -> Template:
        keys = _api_keys(registry)
        units = Units(registry.db, now=registry.now, today=registry.local_today)

        def load() -> tuple[list[Any], list[tuple[str, str]]]:
            return keys.list_keys(user.actor), unit_options(units, user.actor)

        listed, units_offered = await to_thread.run_sync(load)
        return page(
            request,
            "pengaturan_kunci_api.html",
            user,
            keys=list(reversed(listed)),
            unit_options=units_offered,
            role_options=role_options(ROLES),
            role_labels=ROLE_LABELS,
            **state.context(),
        )
