"""Schemathesis against the app's own OpenAPI schema: every operation, every role, no server.

Each (role, operation) pair gets a bounded number of generated requests that fit the schema
(positive) and that do not (negative), with a fixed seed (``derandomize``), sent to the ASGI app
directly. Every answer must be no server error and exactly what the schema documents: a listed
status code, its content type, a body matching its schema, and its documented headers.

Issuance runs without LibreOffice (the DOCX is rendered and stored, no PDF), as in the API tests,
so a generated case costs milliseconds; the one PDF-only operation (the kartu) answers its
documented 503, which the server-error check accepts only there (see ``_no_server_error``).

Measured on the shared 2-core dev machine (2026-12-01): 1,116 cases on SQLite and 424 on
PostgreSQL, 1,540 in all, in about 60 s of CPU (3-4 min wall clock while others were testing);
``test_enough_cases_ran`` asserts the counts, so a run that executes nothing fails.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from tests.conftest import BACKENDS
from tests.fuzz.conftest import FuzzWorld

ROLES = ("anonymous", "issuer", "auditor", "requester")
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
#: Examples per (role, operation, mode). PostgreSQL gets a lighter pass: the answers are the
#: same code, and what differs (text the database refuses, locking) shows up in fewer cases.
EXAMPLES = {
    "sqlite": {POSITIVE: 5, NEGATIVE: 3},
    "postgresql": {POSITIVE: 2, NEGATIVE: 1},
}
#: At least this many requests per backend: a run that generates nothing must fail.
MINIMUM_CASES = {"sqlite": 1000, "postgresql": 300}
#: Answers that are documented server errors: PDF output is unavailable in this registry.
EXPECTED_UNAVAILABLE = {"getKartuData"}

executed: Counter[tuple[str, str]] = Counter()


def _no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code == 503 and case.operation.definition.raw.get("operationId") in (
        EXPECTED_UNAVAILABLE
    ):
        return None
    return not_a_server_error(ctx, response, case)  # type: ignore[no-any-return]


CHECKS = [
    _no_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def _run(operation: Any, mode: GenerationMode, world: FuzzWorld, role: str) -> None:
    secret = world.secrets[role]
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    @settings(
        max_examples=EXAMPLES[world.backend][mode],
        derandomize=True,
        database=None,
        deadline=None,
        # No shrinking: bounded time in CI; a failure is reproduced by a plain test anyway.
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        executed[world.backend, role] += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.fixture
def api_schema(fuzz_world: FuzzWorld) -> Any:
    # A new app per test over the module's registry: Schemathesis ends the app's lifespan when
    # the test that started it ends, and an app starts its background worker only once.
    app = create_app(registry=fuzz_world.registry)
    return schemathesis.openapi.from_asgi("/schema/openapi.json", app)


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_documented(
    api_schema: Any, fuzz_world: FuzzWorld, role: str
) -> None:
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in (POSITIVE, NEGATIVE):
            try:
                _run(operation, mode, fuzz_world, role)
            except Unsatisfiable:
                # Nothing can break a schema without constraints (no parameters, or a free
                # string): there is no negative case to send.
                assert mode is NEGATIVE, operation.label
            except Exception as exc:
                failures.append(f"{operation.label} [{mode}]: {exc}")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("backend", BACKENDS)
def test_enough_cases_ran(backend: str) -> None:
    # Runs after the role tests of this module (file order); alone it counts nothing and fails.
    ran = {role: executed[backend, role] for role in ROLES}
    assert all(ran.values()), ran
    assert sum(ran.values()) >= MINIMUM_CASES[backend], ran
