"""What the Pengaturan pages share: the admin check, a form's state and context, form values."""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from litestar.response import Template

from api.console.filters import typed
from api.console.session import ROLE_LABELS, require_role
from api.errors import status_of
from registry.domain.actors import Actor
from registry.domain.errors import RegistryError
from registry.usecases.accounts import UserView
from registry.usecases.units import Units

SETTINGS_PATH = "/konsol/pengaturan"
ADMIN = ("admin",)


def require_admin(user: UserView) -> None:
    require_role(user, *ADMIN)


def new_form_key() -> str:
    """The hidden key a form carries so that submitting it twice acts once."""
    return secrets.token_urlsafe(18)


def text(form: Mapping[str, Any], name: str, limit: int = 500) -> str:
    return typed(form.get(name), limit)


def refused(error: RegistryError, fields: Mapping[str, str]) -> dict[str, Any]:
    """A refused form's context: the summary and, when the use case named one of this form's
    fields, the message beside that field (``fields`` maps the use case's name to the form's)."""
    field_errors: dict[str, str] = {}
    target = fields.get(error.field or "")
    if target is not None:
        field_errors[target] = error.message
    return {
        "error": {"title": error.title, "message": error.message},
        "errors": field_errors,
        "status_code": status_of(error),
    }


def no_error() -> dict[str, Any]:
    return {"error": None, "errors": {}}


@dataclasses.dataclass(frozen=True)
class FormState:
    """A create form as a list page shows it: fresh (with the notice a redirect asked for, if
    any) or refused (what was typed back in its fields, the summary, the field marked)."""

    values: dict[str, str] = dataclasses.field(default_factory=dict)
    notice: str | None = None
    refusal: dict[str, Any] = dataclasses.field(default_factory=no_error)

    @classmethod
    def refused(
        cls, values: dict[str, str], error: RegistryError, fields: Mapping[str, str]
    ) -> FormState:
        return cls(values, None, refused(error, fields))

    def context(self) -> dict[str, Any]:
        """The page's ``form``, ``form_key``, ``notice``, ``error``, ``errors`` and status."""
        return {
            "form": self.values,
            # A refused form keeps its key, so sending it again still acts once.
            "form_key": self.values.get("idempotency_key") or new_form_key(),
            "notice": self.notice,
            **self.refusal,
        }


def unit_options(units: Units, actor: Actor) -> list[tuple[str, str]]:
    """(code, label) of every unit, for a select; runs queries, so call it in a worker thread."""
    return [(unit.code, f"{unit.name} ({unit.code})") for unit in units.list_units(actor)]


def role_options(roles: Iterable[str]) -> list[tuple[str, str]]:
    return [(role, ROLE_LABELS.get(role, role)) for role in roles]


def not_cached(template: Template) -> Template:
    """A page with a one-time secret: never kept by the browser or a proxy."""
    template.headers["Cache-Control"] = "no-store"
    return template


def aware(moment: datetime | None) -> datetime | None:
    # SQLite hands timezone-aware columns back naive (in UTC, as they were written).
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
