"""Pengaturan (admin): the overview, the people who sign in, and the e-mails that failed.

Units and rosters are in ``settings_units.py``, API keys and signing keys in ``settings_keys.py``.
Every action is the use case's (``Accounts``, ``MailFailures``) under the admin's own actor, so
the role checks and the audit entries are the same as at the CLI.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from api.console.confirmation import ConfirmPage, confirm_then_act, see_other
from api.console.rendering import page
from api.console.session import ROLE_LABELS, accounts_of
from api.console.settings_forms import (
    ADMIN,
    SETTINGS_PATH,
    FormState,
    aware,
    new_form_key,
    not_cached,
    require_admin,
    role_options,
    text,
    unit_options,
)
from api.console.settings_keys import SettingsKeys
from api.console.settings_units import SettingsUnits
from registry.adapters.db.schema import USER_ROLES
from registry.domain.errors import RegistryError
from registry.usecases.accounts import UserDraft, UserView
from registry.usecases.issuing import Registry
from registry.usecases.mail_failures import MailFailures
from registry.usecases.units import Units

USERS_PATH = f"{SETTINGS_PATH}/pengguna"
#: The fixed notices a redirect may ask for; the URL carries only the code.
USER_NOTICES = {
    "dinonaktifkan": "Akun dinonaktifkan dan sesinya diakhiri. Pemiliknya tidak dapat masuk lagi.",
    "diaktifkan": "Akun diaktifkan lagi. Pemiliknya dapat masuk dengan kata sandinya.",
}
#: The use case's field names -> the form's.
USER_FIELDS = {
    "username": "username",
    "name": "name",
    "role": "role",
    "unit": "unit",
    "email": "email",
}
MAIL_EVENTS = {
    "request.submitted": "Permohonan diajukan (kepada penerbit)",
    "request.approved": "Permohonan disetujui (kepada pemohon)",
    "request.rejected": "Permohonan ditolak (kepada pemohon)",
    "batch.done": "Penerbitan massal selesai (kepada penerbit)",
    "batch.failed": "Penerbitan massal gagal (kepada penerbit)",
}


# -- confirm then act: disabling an account, resetting its password ---------------------------


async def _disable(request: Request[Any, Any, Any], user: UserView, _: Registry) -> Redirect:
    username = request.path_params["username"]
    accounts = accounts_of(request)
    await to_thread.run_sync(lambda: accounts.disable_user(username, user.actor))
    return see_other(f"{USERS_PATH}?selesai=dinonaktifkan")


async def _reset(request: Request[Any, Any, Any], user: UserView, _: Registry) -> Template:
    username = request.path_params["username"]
    form = await request.form()
    key = text(form, "idempotency_key", 200) or None
    accounts = accounts_of(request)
    done = await to_thread.run_sync(
        lambda: accounts.reset_password(username, user.actor, idempotency_key=key)
    )
    return not_cached(
        page(
            request,
            "pengaturan_kata_sandi.html",
            user,
            account=done.user,
            password=done.password,
            new_account=False,
            role_labels=ROLE_LABELS,
        )
    )


def _account_page(template: str) -> ConfirmPage:
    """The confirmation about one account (the path's ``username``); its form carries a key."""

    async def confirm_page(
        request: Request[Any, Any, Any], user: UserView, _: Registry, __: RegistryError | None
    ) -> Template:
        username = request.path_params["username"]
        accounts = accounts_of(request)
        account = await to_thread.run_sync(lambda: accounts.get_user(username, user.actor))
        return page(request, template, user, account=account, form_key=new_form_key())

    return confirm_page


class SettingsPages(Controller):
    path = "/pengaturan"
    include_in_schema = False

    @get("/", name="console-settings")
    async def overview(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        require_admin(user)
        failed = await to_thread.run_sync(
            lambda: MailFailures(registry.db).count_last_week(user.actor, registry.now())
        )
        return page(request, "pengaturan_ikhtisar.html", user, failed_last_week=failed)

    # -- people ---------------------------------------------------------------------------------

    @get("/pengguna", name="console-settings-users")
    async def users(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
        selesai: FromQuery[str | None] = None,
    ) -> Template:
        require_admin(user)
        notice = USER_NOTICES.get(selesai or "")
        return await self._users_page(request, user, registry, FormState(notice=notice))

    @post("/pengguna", name="console-settings-user-create", status_code=200)
    async def create_user(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        require_admin(user)
        form = await request.form()
        values = {name: text(form, name) for name in ("username", "name", "role", "unit", "email")}
        values["idempotency_key"] = text(form, "idempotency_key", 200)
        role = values["role"]
        draft = UserDraft(
            username=values["username"],
            role=role,
            # Only a requester belongs to a unit; a unit left selected for another role is noise.
            unit_code=values["unit"] if role == "requester" else None,
            display_name=values["name"],
            email=values["email"],
        )
        accounts = accounts_of(request)
        try:
            created = await to_thread.run_sync(
                lambda: accounts.create_user(
                    draft, user.actor, idempotency_key=values["idempotency_key"] or None
                )
            )
        except RegistryError as error:
            state = FormState.refused(values, error, USER_FIELDS)
            return await self._users_page(request, user, registry, state)
        return not_cached(
            page(
                request,
                "pengaturan_kata_sandi.html",
                user,
                account=created.user,
                password=created.password,
                new_account=True,
                role_labels=ROLE_LABELS,
            )
        )

    confirm_disable, disable = confirm_then_act(
        "/pengguna/{username:str}/nonaktifkan",
        name="console-settings-user-disable",
        roles=ADMIN,
        page=_account_page("pengaturan_pengguna_nonaktifkan.html"),
        act=_disable,
        refusal_on_page=False,
    )

    @post("/pengguna/{username:str}/aktifkan", name="console-settings-user-enable")
    async def enable(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        username: FromPath[str],
    ) -> Redirect:
        require_admin(user)
        accounts = accounts_of(request)
        await to_thread.run_sync(lambda: accounts.enable_user(username, user.actor))
        return see_other(f"{USERS_PATH}?selesai=diaktifkan")

    confirm_reset, reset = confirm_then_act(
        "/pengguna/{username:str}/atur-ulang",
        name="console-settings-user-reset",
        roles=ADMIN,
        page=_account_page("pengaturan_pengguna_atur_ulang.html"),
        act=_reset,
        refusal_on_page=False,
    )

    # -- failed e-mails ------------------------------------------------------------------------

    @get("/notifikasi", name="console-settings-mail")
    async def failed_mail(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        require_admin(user)
        failures = await to_thread.run_sync(lambda: MailFailures(registry.db).latest(user.actor))
        return page(
            request,
            "pengaturan_notifikasi.html",
            user,
            failures=failures,
            event_labels=MAIL_EVENTS,
            mail_enabled=registry.settings.smtp is not None,
        )

    # -- inside ---------------------------------------------------------------------------------

    async def _users_page(
        self, request: Request[Any, Any, Any], user: UserView, registry: Registry, state: FormState
    ) -> Template:
        accounts = accounts_of(request)
        units = Units(registry.db, now=registry.now, today=registry.local_today)

        def load() -> tuple[list[UserView], list[tuple[str, str]]]:
            return accounts.list_users(user.actor), unit_options(units, user.actor)

        people, units_offered = await to_thread.run_sync(load)
        now = registry.now()
        return page(
            request,
            "pengaturan_pengguna.html",
            user,
            people=[(person, _status(person, now)) for person in people],
            unit_options=units_offered,
            role_options=role_options(USER_ROLES),
            role_labels=ROLE_LABELS,
            **state.context(),
        )


def _status(person: UserView, now: datetime) -> tuple[str, str]:
    """(badge code, label): the words say it, the colour only repeats it."""
    if person.disabled_at is not None:
        return "void", "Nonaktif"
    locked = aware(person.locked_until)
    if locked is not None and locked > now:
        return "submitted", "Terkunci sementara"
    return "done", "Aktif"


#: The Pengaturan area's controllers, one line in ``routing.PAGE_CONTROLLERS``.
SETTINGS_CONTROLLERS = [SettingsPages, SettingsUnits, SettingsKeys]
