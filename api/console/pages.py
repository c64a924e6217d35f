"""Signing in and out, and the home page (Beranda)."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from markupsafe import Markup

from api.console.rendering import page
from api.console.session import (
    SESSION_COOKIE,
    accounts_of,
    expired_session_cookie,
    safe_next,
    session_cookie,
    signed_in_user,
)
from registry.domain.charts import compliance_chart
from registry.usecases.accounts import SignInRefused, UserView
from registry.usecases.dashboard import Dashboard
from registry.usecases.issuing import Registry

REQUEST_STATUS_LABELS = {
    "draft": "Draf",
    "submitted": "Diajukan",
    "approved": "Disetujui",
    "rejected": "Ditolak",
    "withdrawn": "Ditarik",
}
REQUEST_KIND_LABELS = {
    "coaching": "Coaching",
    "mentoring": "Mentoring",
    "belajar_mandiri": "Belajar mandiri",
    "komunitas_belajar": "Komunitas belajar",
    "bimbingan_tempat_kerja": "Bimbingan di tempat kerja",
}
DOCUMENT_TYPE_LABELS = {
    "sttp": "STTP",
    "sertifikat": "Sertifikat",
    "transkrip": "Transkrip",
    "piagam": "Piagam",
    "sk": "SK",
    "surat_keterangan": "Surat keterangan",
}


class ConsolePages(Controller):
    include_in_schema = False

    @get("/masuk", name="console-sign-in")
    async def sign_in_form(
        self,
        request: Request[Any, Any, Any],
        next: FromQuery[str | None] = None,
        keluar: FromQuery[bool] = False,
    ) -> Template | Redirect:
        target = safe_next(next)
        if await signed_in_user(request) is not None:
            return Redirect(target, status_code=303)
        notice = "Anda sudah keluar. Sampai jumpa." if keluar else None
        return page(
            request, "sign_in.html", None, next=target, notice=notice, error=None, username=""
        )

    @post("/masuk", name="console-sign-in-submit", status_code=303)
    async def sign_in(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        username = str(form.get("username", ""))[:200]
        password = str(form.get("password", ""))
        target = safe_next(str(form.get("next", "")) or None)
        accounts = accounts_of(request)
        previous = request.cookies.get(SESSION_COOKIE) or None
        try:
            signed_in = await to_thread.run_sync(
                lambda: accounts.sign_in(username, password, previous_token=previous)
            )
        except SignInRefused as refused:
            response = page(
                request,
                "sign_in.html",
                None,
                status_code=400,
                next=target,
                notice=None,
                error=refused.message,
                username=username,
            )
            # The session the browser came with was ended by the attempt: forget its cookie.
            if previous:
                response.set_cookie(expired_session_cookie(secure=_secure(request)))
            return response
        redirect = Redirect(target, status_code=303)
        redirect.set_cookie(session_cookie(signed_in.token, secure=_secure(request)))
        return redirect

    @post("/keluar", name="console-sign-out", status_code=303)
    async def sign_out(self, request: Request[Any, Any, Any]) -> Redirect:
        token = request.cookies.get(SESSION_COOKIE, "")
        await to_thread.run_sync(accounts_of(request).sign_out, token)
        redirect = Redirect("/konsol/masuk?keluar=1", status_code=303)
        redirect.set_cookie(expired_session_cookie(secure=_secure(request)))
        return redirect

    @get("/", name="console-home")
    async def home(
        self,
        request: Request[Any, Any, Any],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        home = await to_thread.run_sync(Dashboard(registry).home, user.actor)
        return page(
            request,
            "home.html",
            user,
            home=home,
            status_labels=REQUEST_STATUS_LABELS,
            kind_labels=REQUEST_KIND_LABELS,
            type_labels=DOCUMENT_TYPE_LABELS,
            # Drawn from escaped data by registry.domain.charts: safe to embed as markup.
            compliance_svg=Markup(compliance_chart(home.compliance, home.year))  # noqa: S704
            if home.shows_jp
            else None,
        )


def _secure(request: Request[Any, Any, Any]) -> bool:
    secure: bool = request.app.state.settings.secure_cookies
    return secure
