"""Revoking and replacing a document (issuer only), each behind a confirmation step.

Revoke: ``/konsol/dokumen/{id}/cabut`` asks for the reason and confirmation on one page, then
revokes. Replace (ralat): ``/konsol/dokumen/{id}/ganti`` is the issue form filled from the
document, with a reason; "Periksa" validates it (no number taken) and shows what will happen,
"Ya, ganti" supersedes. Both carry an idempotency key made when the form is shown, so a
repeated submit acts once.
"""

from __future__ import annotations

import uuid
from typing import Any

from anyio import to_thread
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Redirect, Template

from api.console.confirmation import confirm_then_act, see_other
from api.console.issue_form import (
    FormValues,
    draft_from_form,
    input_names,
    new_key,
    read_form,
    values_from_draft,
)
from api.console.issue_pages import ISSUER, calculate, form_page
from api.console.issue_types import TYPE_SPECS
from api.console.pages import DOCUMENT_TYPE_LABELS
from api.console.rendering import page
from api.console.session import require_role
from api.errors import status_of
from registry.domain.errors import RegistryError
from registry.domain.views import DocumentView
from registry.usecases.accounts import UserView
from registry.usecases.issuing import STATUS_LABELS, Registry, clean_reason


async def _revoke_form(
    request: Request[Any, Any, Any],
    user: UserView,
    registry: Registry,
    refused: RegistryError | None,
) -> Template:
    """The reason and the confirmation on one page; a refusal shows what was typed."""
    view = await to_thread.run_sync(registry.get, request.path_params["document_id"], user.actor)
    if refused is not None:
        return _revoke_page(request, user, view, await _revoke_values(request), refused=refused)
    if view.status != "issued":
        return _not_changeable(request, user, view, "dicabut")
    return _revoke_page(request, user, view, {"reason": "", "idempotency_key": new_key()})


async def _revoke(request: Request[Any, Any, Any], user: UserView, registry: Registry) -> Redirect:
    document_id = request.path_params["document_id"]
    values = await _revoke_values(request)
    reason, key = values["reason"], values["idempotency_key"]
    await to_thread.run_sync(registry.revoke, document_id, reason, user.actor, key)
    return see_other(f"/konsol/dokumen/{document_id}?selesai=dicabut")


async def _revoke_values(request: Request[Any, Any, Any]) -> FormValues:
    form = await request.form()
    return {
        "reason": str(form.get("reason", "")),
        "idempotency_key": str(form.get("idempotency_key", "")) or new_key(),
    }


class DocumentChanges(Controller):
    path = "/dokumen"
    include_in_schema = False

    revoke_form, revoke = confirm_then_act(
        "/{document_id:uuid}/cabut",
        name="console-document-revoke",
        roles=(ISSUER,),
        page=_revoke_form,
        act=_revoke,
    )

    @get("/{document_id:uuid}/ganti", name="console-document-supersede-form")
    async def supersede_form(
        self,
        request: Request[Any, Any, Any],
        document_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template:
        require_role(user, ISSUER)
        view = await to_thread.run_sync(registry.get, document_id, user.actor)
        if view.status != "issued":
            return _not_changeable(request, user, view, "diganti")
        draft = await to_thread.run_sync(registry.draft_of, document_id, user.actor)
        values = values_from_draft(draft) | {"reason": "", "idempotency_key": new_key()}
        spec = TYPE_SPECS[view.type]
        return await form_page(request, user, registry, spec, values, replacing=view)

    @post("/{document_id:uuid}/ganti", name="console-document-supersede", status_code=200)
    async def supersede(
        self,
        request: Request[Any, Any, Any],
        document_id: FromPath[uuid.UUID],
        user: NamedDependency[UserView],
        registry: NamedDependency[Registry],
    ) -> Template | Redirect:
        require_role(user, ISSUER)
        view = await to_thread.run_sync(registry.get, document_id, user.actor)
        spec = TYPE_SPECS[view.type]
        values = read_form(spec, (await request.form()).multi_items())
        values.setdefault("idempotency_key", new_key())
        action = values.pop("aksi", "")
        try:
            draft = draft_from_form(spec, values)
            if action == "hitung":
                preview = await calculate(registry, user, draft)
                return await form_page(
                    request, user, registry, spec, values, preview=preview, replacing=view
                )
            if action == "ubah":
                return await form_page(request, user, registry, spec, values, replacing=view)
            if action != "ganti":
                # The confirmation step: the draft and the reason checked as the use case will,
                # nothing written, then what will happen, to confirm.
                await to_thread.run_sync(registry.validate, draft)
                clean_reason(values.get("reason"))
                return _confirm_page(request, user, view, values)
            outcome = await to_thread.run_sync(
                lambda: registry.supersede(
                    document_id,
                    draft,
                    values.get("reason", ""),
                    user.actor,
                    values["idempotency_key"],
                )
            )
        except RegistryError as refused:
            return await form_page(
                request, user, registry, spec, values, refused=refused, replacing=view
            )
        new_id = outcome.document.id
        return see_other(f"/konsol/dokumen/{new_id}?selesai=ganti")


def _revoke_page(
    request: Request[Any, Any, Any],
    user: UserView,
    view: DocumentView,
    values: FormValues,
    *,
    refused: RegistryError | None = None,
) -> Template:
    return page(
        request,
        "dokumen_cabut.html",
        user,
        status_code=status_of(refused) if refused else 200,
        document=view,
        values=values,
        refused=refused,
        type_labels=DOCUMENT_TYPE_LABELS,
    )


def _confirm_page(
    request: Request[Any, Any, Any], user: UserView, view: DocumentView, values: FormValues
) -> Template:
    # Carried to the last step as hidden inputs: only the form's own fields, never other names.
    known = {*input_names(TYPE_SPECS[view.type], values), "reason", "idempotency_key", "series"}
    return page(
        request,
        "dokumen_ganti_periksa.html",
        user,
        document=view,
        values={name: value for name, value in values.items() if name in known},
        type_labels=DOCUMENT_TYPE_LABELS,
    )


def _not_changeable(
    request: Request[Any, Any, Any], user: UserView, view: DocumentView, verb: str
) -> Template:
    """A document that is no longer valid cannot be revoked or replaced: say so, and why."""
    return page(
        request,
        "dokumen_tidak_berlaku.html",
        user,
        status_code=409,
        document=view,
        verb=verb,
        status_label=STATUS_LABELS[view.status],
    )
