"""The OpenAPI schema tells the truth about errors: each operation lists the problem-details
answers its route can give, and the success status its handler really sends."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from litestar.testing import TestClient

from api.app import create_app
from api.errors import PROBLEM_JSON
from registry.usecases.issuing import Registry
from tests.conftest import Keys
from tests.support.drafts import batch_body

METHODS = ("get", "post", "put", "patch", "delete")
PUBLIC_RATE_LIMITED = {"verifyToken", "verifyFile"}


@pytest.fixture
def app(registry: Registry) -> Litestar:
    return create_app(registry=registry)


@pytest.fixture
def client(app: Litestar) -> Iterator[TestClient[Any]]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def schema(client: TestClient[Any]) -> dict[str, Any]:
    response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def operations(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def handlers(app: Litestar) -> dict[str, HTTPRouteHandler]:
    """The documented route handlers by operation id."""
    found: dict[str, HTTPRouteHandler] = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            if isinstance(handler, HTTPRouteHandler) and handler.resolve_include_in_schema():
                found[str(handler.operation_id)] = handler
    return found


def test_the_schema_documents_every_api_operation(app: Litestar, schema: dict[str, Any]) -> None:
    documented = {operation["operationId"] for _, _, operation in operations(schema)}
    assert documented == set(handlers(app))
    assert len(documented) >= 35


def test_operations_that_need_a_key_say_so_and_document_401_and_403(
    app: Litestar, schema: dict[str, Any]
) -> None:
    by_id = handlers(app)
    assert "apiKey" in schema["components"]["securitySchemes"]
    for path, method, operation in operations(schema):
        guarded = bool(by_id[operation["operationId"]].resolve_guards())
        label = f"{method.upper()} {path}"
        if guarded:
            assert operation.get("security") == [{"apiKey": []}], label
            assert {"401", "403"} <= set(operation["responses"]), label
        else:
            assert "security" not in operation, label
            assert not {"401", "403"} & set(operation["responses"]), label


def test_operations_with_inputs_document_400_and_422(schema: dict[str, Any]) -> None:
    with_inputs = 0
    for path, method, operation in operations(schema):
        if operation.get("parameters") or operation.get("requestBody"):
            with_inputs += 1
            assert {"400", "422"} <= set(operation["responses"]), f"{method.upper()} {path}"
    assert with_inputs >= 30


def test_operations_naming_a_resource_document_404(schema: dict[str, Any]) -> None:
    for path, method, operation in operations(schema):
        if "{" in path and operation["operationId"] != "verifyToken":
            assert "404" in operation["responses"], f"{method.upper()} {path}"
    # A token that is no document is answered 200 with status `unknown`, never 404.
    verify = schema["paths"]["/api/v1/verify/{token}"]["get"]
    assert "404" not in verify["responses"]


def test_operations_taking_a_body_or_files_document_413(
    app: Litestar, schema: dict[str, Any]
) -> None:
    by_id = handlers(app)
    for path, method, operation in operations(schema):
        handler = by_id[operation["operationId"]]
        if operation.get("requestBody") or handler.opt.get("upload_files"):
            assert "413" in operation["responses"], f"{method.upper()} {path}"


def test_public_verification_documents_429(schema: dict[str, Any]) -> None:
    limited = {
        operation["operationId"]
        for _, _, operation in operations(schema)
        if "429" in operation["responses"]
    }
    assert limited == PUBLIC_RATE_LIMITED


def test_every_error_answer_is_problem_details(schema: dict[str, Any]) -> None:
    problem = schema["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    errors = 0
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                errors += 1
                content = response["content"]
                assert list(content) == [PROBLEM_JSON], f"{method.upper()} {path} {status}"
                ref = content[PROBLEM_JSON]["schema"]["$ref"]
                assert ref == "#/components/schemas/Problem", f"{method.upper()} {path} {status}"
    assert errors >= 150


def test_a_batch_is_documented_and_answered_with_202(
    client: TestClient[Any], schema: dict[str, Any], api_keys: Keys
) -> None:
    documented = schema["paths"]["/api/v1/documents/batch"]["post"]["responses"]
    assert [status for status in documented if status.startswith("2")] == ["202"]

    response = client.post(
        "/api/v1/documents/batch",
        json=batch_body(1),
        headers={"Authorization": f"Bearer {api_keys.issuer.secret}"},
    )

    assert response.status_code == 202
    assert response.headers["location"].startswith("/api/v1/jobs/")


def test_a_refusal_matches_the_documented_problem(
    client: TestClient[Any], schema: dict[str, Any]
) -> None:
    response = client.get("/api/v1/documents")

    assert response.status_code == 401
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    body = response.json()
    required = schema["components"]["schemas"]["Problem"]["required"]
    assert all(member in body for member in required)
    assert body["status"] == 401
