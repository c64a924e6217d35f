"""The confirm-then-act helper on its own: a tiny app with one confirmed action, no database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment
from litestar import Controller, Litestar, Request, Response
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.template.config import TemplateConfig
from litestar.testing import TestClient

from api.console.confirmation import confirm_then_act, see_other
from registry.domain.errors import Conflict, RegistryError
from registry.usecases.accounts import UserView
from registry.usecases.issuing import Registry

#: What the page and the action were called with, in order.
CALLS: list[tuple[str, Any]] = []


def _user(request: Request[Any, Any, Any]) -> UserView:
    return UserView(
        id=uuid.UUID(int=7),
        username="andi",
        display_name="Andi",
        email=None,
        role=request.headers.get("x-role", "issuer"),
        unit_code=None,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        disabled_at=None,
        locked_until=None,
    )


async def _page(
    request: Request[Any, Any, Any], user: UserView, _: Registry, refused: RegistryError | None
) -> Template:
    CALLS.append(("page", (request.path_params["item_id"], refused and refused.message)))
    status = 409 if refused else 200
    return Template(
        template_str="konfirmasi {{ refused }}",
        context={"refused": refused and refused.message},
        status_code=status,
    )


async def _act(request: Request[Any, Any, Any], user: UserView, _: Registry) -> Redirect:
    item_id = request.path_params["item_id"]
    CALLS.append(("act", item_id))
    if request.headers.get("x-refuse"):
        raise Conflict("Sudah diputuskan.")
    return see_other(f"/barang/{item_id}?selesai=ya")


class Items(Controller):
    path = "/barang"
    confirm_close, close = confirm_then_act(
        "/{item_id:uuid}/tutup", name="item-close", roles=("issuer",), page=_page, act=_act
    )
    confirm_drop, drop = confirm_then_act(
        "/{item_id:uuid}/buang",
        name="item-drop",
        roles=("issuer",),
        page=_page,
        act=_act,
        refusal_on_page=False,
    )


def _refused(_: Request[Any, Any, Any], exc: RegistryError) -> Response[str]:
    return Response(f"galat: {exc.message}", status_code=418)


def _client() -> TestClient[Any]:
    app = Litestar(
        [Items],
        dependencies={
            "user": Provide(_user, sync_to_thread=False),
            # The callbacks here never touch it: an instance only to pass the type check.
            "registry": Provide(lambda: Registry.__new__(Registry), sync_to_thread=False),
        },
        exception_handlers={RegistryError: _refused},
        template_config=TemplateConfig(
            instance=JinjaTemplateEngine.from_environment(Environment(autoescape=True))
        ),
    )
    CALLS.clear()
    return TestClient(app)


ITEM = uuid.UUID(int=42)


def test_the_get_shows_the_page_with_the_path_parameter_converted() -> None:
    with _client() as client:
        response = client.get(f"/barang/{ITEM}/tutup")
    assert response.status_code == 200
    assert response.text == "konfirmasi None"
    assert CALLS == [("page", (ITEM, None))]
    assert isinstance(CALLS[0][1][0], uuid.UUID)


def test_the_post_acts_then_sends_the_browser_on_with_a_get() -> None:
    with _client() as client:
        response = client.post(f"/barang/{ITEM}/tutup", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/barang/{ITEM}?selesai=ya"
    assert CALLS == [("act", ITEM)]


def test_a_refused_action_comes_back_on_the_confirmation_page() -> None:
    with _client() as client:
        response = client.post(f"/barang/{ITEM}/tutup", headers={"x-refuse": "1"})
    assert response.status_code == 409
    assert response.text == "konfirmasi Sudah diputuskan."
    assert CALLS == [("act", ITEM), ("page", (ITEM, "Sudah diputuskan."))]


def test_without_refusal_on_page_the_error_goes_to_the_error_handler() -> None:
    with _client() as client:
        response = client.post(f"/barang/{ITEM}/buang", headers={"x-refuse": "1"})
    assert response.status_code == 418
    assert response.text == "galat: Sudah diputuskan."
    assert CALLS == [("act", ITEM)]


def test_another_role_is_refused_before_the_page_or_the_action_runs() -> None:
    with _client() as client:
        shown = client.get(f"/barang/{ITEM}/tutup", headers={"x-role": "auditor"})
        acted = client.post(f"/barang/{ITEM}/tutup", headers={"x-role": "auditor"})
    assert (shown.status_code, acted.status_code) == (418, 418)
    assert "hanya untuk peran" in shown.text and "hanya untuk peran" in acted.text
    assert CALLS == []


def test_the_pair_is_named_after_the_action() -> None:
    with _client() as client:
        handlers = {
            handler.name
            for route in client.app.routes
            for handler in getattr(route, "route_handlers", [])
        }
    assert {"item-close-confirm", "item-close", "item-drop-confirm", "item-drop"} <= handlers
