"""Schemathesis against the app's own OpenAPI schema: every operation, every role, no server.

Each (role, operation) pair gets a bounded number of generated requests that fit the schema
(positive) and that do not (negative), with a fixed seed (``derandomize``), sent to the ASGI app
directly. Every answer must be no server error and exactly what the schema documents: a listed
status code, its content type, a body matching its schema, and its documented headers.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.python.asgi import shutdown_lifespans

from tests.fuzz.conftest import FuzzWorld

ROLES = ("anonymous", "issuer", "auditor", "requester")
EXAMPLES = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 3}
#: At least this many requests over the module: a run that generates nothing must fail.
MINIMUM_CASES = 1000
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

executed: Counter[str] = Counter()


def _run_operation(
    operation: Any, mode: GenerationMode, headers: dict[str, str], role: str
) -> None:

    @settings(
        max_examples=EXAMPLES[mode],
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        executed[role] += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    run()


@pytest.fixture(scope="module")
def api_schema(fuzz_world: FuzzWorld) -> Any:
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", fuzz_world.app)
    yield schema
    shutdown_lifespans()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_documented(
    api_schema: Any, fuzz_world: FuzzWorld, role: str
) -> None:
    secret = fuzz_world.secrets[role]
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    failures: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        for mode in EXAMPLES:
            try:
                _run_operation(operation, mode, headers, role)
            except Exception as exc:
                failures.append(f"{operation.label} [{mode}]: {exc}")
    assert not failures, "\n\n".join(failures)


def test_at_least_a_thousand_cases_ran() -> None:
    # Runs after the role tests of this module (file order); alone it counts nothing and fails.
    assert set(executed) == set(ROLES), executed
    assert sum(executed.values()) >= MINIMUM_CASES, executed
