"""The API docs page: Swagger UI from the package's own files, for an intranet without internet.

Litestar's render plugins load their UI from a CDN and start it with an inline script holding the
whole schema; this page loads the vendored Swagger UI (``api/static/swagger-ui``, version and
licence in its README) and a small starting script, both from the service, so it runs offline
and under the service's page policy (``script-src 'self'``, no inline code).
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any, Final

from litestar import Request
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import JsonRenderPlugin, SwaggerRenderPlugin, YamlRenderPlugin
from litestar.router import Router
from litestar.static_files import create_static_files_router

from api.openapi import security_components

SCHEMA_PATH: Final = "/schema"
#: Not under /schema: the OpenAPI router answers every path there.
DOCS_ASSETS_PATH: Final = "/docs-static"
SWAGGER_UI_DIR: Final = Path(__file__).parent / "static" / "swagger-ui"
SWAGGER_UI_VERSION: Final = "5.32.0"


class OfflineSwagger(SwaggerRenderPlugin):
    """Swagger UI served by the service itself, started by a file rather than inline code."""

    def __init__(self) -> None:
        super().__init__(
            version=SWAGGER_UI_VERSION,
            js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-bundle.js",
            css_url=f"{DOCS_ASSETS_PATH}/swagger-ui.css",
            favicon=f'<link rel="icon" href="{DOCS_ASSETS_PATH}/favicon-32x32.png">',
            path="/swagger",
        )

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = escape(str(openapi_schema["info"]["title"]))
        schema_url = escape(f"{SCHEMA_PATH}/openapi.json")
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{self.favicon}
<link rel="stylesheet" href="{self.css_url}">
</head>
<body>
<div id="swagger-ui" data-schema-url="{schema_url}"></div>
<script src="{self.js_url}"></script>
<script src="{DOCS_ASSETS_PATH}/swagger-init.js"></script>
</body>
</html>
""".encode()

    def receive_router(self, router: Router) -> None:
        """No OAuth2 redirect page: the API takes bearer keys, not OAuth2."""


def openapi_config(description: str) -> OpenAPIConfig:
    """The schema at ``/schema/openapi.json`` (and ``.yaml``), Swagger UI at ``/schema``."""
    return OpenAPIConfig(
        title="Satu Pintu",
        version="1",
        description=description,
        path=SCHEMA_PATH,
        components=security_components(),
        render_plugins=[OfflineSwagger(), JsonRenderPlugin(), YamlRenderPlugin()],
    )


def docs_assets() -> Router:
    return create_static_files_router(
        path=DOCS_ASSETS_PATH,
        directories=[SWAGGER_UI_DIR],
        name="docs-static",
        include_in_schema=False,
    )
