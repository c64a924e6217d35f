"""What the Pengaturan pages share: the admin check, a refused form's context, form values."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from litestar.response import Template

from api.console.session import require_role
from api.errors import status_of
from registry.domain.errors import RegistryError
from registry.usecases.accounts import UserView

SETTINGS_PATH = "/konsol/pengaturan"


def require_admin(user: UserView) -> None:
    require_role(user, "admin")


def new_form_key() -> str:
    """The hidden key a form carries so that submitting it twice acts once."""
    return secrets.token_urlsafe(18)


def text(form: Mapping[str, Any], name: str, limit: int = 500) -> str:
    value = form.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


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


def not_cached(template: Template) -> Template:
    """A page with a one-time secret: never kept by the browser or a proxy."""
    template.headers["Cache-Control"] = "no-store"
    return template


def aware(moment: datetime | None) -> datetime | None:
    # SQLite hands timezone-aware columns back naive (in UTC, as they were written).
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
