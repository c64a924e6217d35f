"""Terbitkan dokumen: pick a type, fill its form, preview the JP, issue one numbered document."""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from api.console.issue_form import (
    FormValues,
    draft_from_form,
    error_target,
    field_id,
    input_names,
    jp_question,
    new_key,
    read_form,
    session_rows,
    subject_rows,
)
from api.console.issue_types import EMPLOYMENT_LABELS, SCOPE_LABELS, TYPE_SPECS, TypeSpec, spec_for
from api.console.rendering import page
from api.console.session import require_role
from api.errors import status_of
from registry.domain.drafts import CREDITING_TYPES
from registry.domain.errors import RegistryError
from registry.domain.formatting import date_span, number_id
from registry.domain.views import DocumentView
from registry.usecases.accounts import UserView
from registry.usecases.idempotency import KEY_FIELD
from registry.usecases.issuing import Registry
from registry.usecases.jp_calculation import JpCalculation, calculate_with_history
from registry.usecases.units import Units

ISSUER = "issuer"


class IssuePages(Controller):
    path = "/terbitkan"
    include_in_schema = False

    @get("/", name="console-issue-types")
    async def types(
        self, request: Request[Any, Any, Any], user: NamedDependency[UserView]
    ) -> Template:
        require_role(user, ISSUER)
        return page(request, "terbitkan_pilih.html", user, specs=list(TYPE_SPECS.values()))

    @get("/{document_type:str}", name="console-issue-form")
    async def form(
        self,
        request: Request[Any, Any, Any],
        document_type: FromPath[str],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        require_role(user, ISSUER)
        spec = spec_for(document_type)
        values = {"activity.scope": "nasional", "idempotency_key": new_key()}
        return await form_page(request, user, registry, spec, values)

    @post("/{document_type:str}", name="console-issue-submit", status_code=200)
    async def submit(
        self,
        request: Request[Any, Any, Any],
        document_type: FromPath[str],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template | Redirect:
        require_role(user, ISSUER)
        spec = spec_for(document_type)
        values = read_form(spec, (await request.form()).multi_items())
        values.setdefault("idempotency_key", new_key())
        try:
            draft = draft_from_form(spec, values)
            if values.get("aksi") == "hitung":
                preview = await calculate(registry, user, draft)
                return await form_page(request, user, registry, spec, values, preview=preview)
            outcome = await to_thread.run_sync(
                registry.issue, draft, user.actor, values["idempotency_key"]
            )
        except RegistryError as refused:
            return await form_page(request, user, registry, spec, values, refused=refused)
        return Redirect(f"/konsol/dokumen/{outcome.document.id}?selesai=terbit", status_code=303)


async def calculate(registry: Registry, user: UserView, draft: Any) -> JpCalculation:
    """The JP engine's answer for the draft, exactly as ``POST /api/v1/jp/calculate`` gives it."""
    question = jp_question(draft)
    return await to_thread.run_sync(
        lambda: calculate_with_history(
            registry.db,
            question,
            user.actor,
            rule_set=registry.settings.jp_rules,
            today=registry.local_today(),
        )
    )


async def form_page(
    request: Request[Any, Any, Any],
    user: UserView,
    registry: Registry,
    spec: TypeSpec,
    values: FormValues,
    *,
    refused: RegistryError | None = None,
    preview: JpCalculation | None = None,
    replacing: DocumentView | None = None,
) -> Template:
    """The form of ``spec`` with what was typed, and a refusal or a JP preview when there is one.

    ``replacing``: the form corrects that document (supersede), with a reason and its own action.
    """
    if refused is not None and refused.field == KEY_FIELD:
        # This form was sent before with other values (the browser's Back button): what it made
        # stands, and the form gets a new key so that sending it again makes a new document.
        values = values | {"idempotency_key": new_key()}
    units = await to_thread.run_sync(
        Units(registry.db, now=registry.now, today=registry.local_today).list_units, user.actor
    )
    names = input_names(spec, values) + (["reason"] if replacing else [])
    target = error_target(refused.field, names) if refused else None
    return page(
        request,
        "terbitkan_form.html",
        user,
        status_code=status_of(refused) if refused else 200,
        spec=spec,
        values=values,
        refused=refused,
        field_errors={target: refused.message} if refused and target else {},
        resent=refused is not None and refused.field == KEY_FIELD,
        preview=preview,
        credits_jp=spec.type in CREDITING_TYPES,
        replacing=replacing,
        action=f"/konsol/dokumen/{replacing.id}/ganti" if replacing else request.url.path,
        units=units,
        session_rows=session_rows(values),
        subject_rows=subject_rows(values),
        scope_labels=SCOPE_LABELS,
        employment_labels=EMPLOYMENT_LABELS,
        rule_set=registry.settings.jp_rules,
        field_id=field_id,
        jp=number_id,
        span=date_span,
    )
