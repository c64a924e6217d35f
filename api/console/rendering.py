"""Rendering console pages: the Jinja environment and the context every page shares."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from litestar import Request
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

from api.console.nav import nav_for
from api.console.session import ROLE_LABELS
from registry.domain.formatting import long_datetime
from registry.usecases.accounts import UserView

STATIC_DIR = Path(__file__).parent / "static"


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    environment = Environment(
        loader=PackageLoader("api.console", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment))


def page(
    request: Request[Any, Any, Any],
    template: str,
    user: UserView | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> Template:
    state = request.app.state
    zone = state.settings.zone

    def when(moment: datetime | None) -> str:
        return "-" if moment is None else long_datetime(moment, zone)

    current = request.url.path.rstrip("/") or "/"
    shared = {
        "agency_name": state.registry.production.identity.name,
        "user": user,
        "role_label": ROLE_LABELS.get(user.role, user.role) if user else None,
        "nav": nav_for(user.role) if user else (),
        "current_path": current,
        "current_section": _section(current),
        "when": when,
    }
    return Template(template_name=template, context=shared | context, status_code=status_code)


def _section(path: str) -> str:
    """The header item a page belongs to: ``/konsol/dokumen/123`` is under Dokumen."""
    parts = path.split("/")
    return "/".join(parts[:3]) if len(parts) > 2 else path
