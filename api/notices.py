"""Deployment warnings on the answers that matter: /healthz and every issuance.

They are computed once at start-up (:func:`registry.domain.deployment.deployment_warnings`) and
kept in the application state. Issuance answers carry them in the JSON body (``warnings``) and in
``Warning`` headers (RFC 7234 syntax, code 199 "miscellaneous warning"), so the stamped-PDF
answer, which has no JSON body, carries them too.
"""

from __future__ import annotations

from collections.abc import Sequence

from litestar.datastructures import State

DeploymentWarnings = tuple[str, ...]


def provide_deployment_warnings(state: State) -> DeploymentWarnings:
    found: DeploymentWarnings = state.deployment_warnings
    return found


def warning_headers(warnings: Sequence[str]) -> dict[str, str]:
    """``{"Warning": '199 satupintu "...", 199 satupintu "..."'}``, or nothing to add."""
    if not warnings:
        return {}
    return {"Warning": ", ".join(f'199 satupintu "{_quoted(text)}"' for text in warnings)}


def _quoted(text: str) -> str:
    # A header value is Latin-1 at most; keep it ASCII, and escape what a quoted-string escapes.
    ascii_text = text.encode("ascii", "replace").decode("ascii")
    return ascii_text.replace("\\", "\\\\").replace('"', '\\"')
