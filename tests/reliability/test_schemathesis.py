"""schemathesis against the live server: every operation of the OpenAPI document it serves,
with generated valid and invalid requests (a key with every scope), answers without a 5xx,
with a documented status code, content type and response schema."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import submission

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 25  # per operation and mode: the whole run stays around a minute on two cores
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]
MAX_REPORTED = 20
# gunicorn's own answers to a request line over 4094 bytes, oversized headers, a bad Expect
GUNICORN_LIMITS = {400, 414, 417, 431}


def exercise(operation: Any, mode: Any, headers: dict[str, str]) -> list[str]:
    """Run EXAMPLES generated cases; a line per failed check (none raised, all collected)."""
    failures: list[str] = []
    strategy = operation.as_strategy(generation_mode=mode)

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,  # the same cases on every run: a failure reproduces
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers, timeout=60)
        media_type = response.headers.get("content-type", [""])[0]
        if response.status_code in GUNICORN_LIMITS and media_type.startswith("text/html"):
            return  # refused by gunicorn before the app: not part of the API's document
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as failure:
            first = str(failure).strip().splitlines()
            failures.append(
                f"{case.method} {case.formatted_path} [{mode.value}]: {' | '.join(first[:6])}"
            )

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (an operation without parameters or body)
        assert mode == schemathesis.GenerationMode.NEGATIVE
    return failures


@pytest.fixture
def live(app: Any, serve: Any, publish: Any, admin_key: dict[str, str]) -> Any:
    """gunicorn with a published ruleset and one stored result, and a key with every scope."""
    publish()
    with app.test_client() as client:
        assert (
            client.post("/api/v1/evaluations", json=submission(), headers=admin_key).status_code
            == 201
        )
    with serve(workers=2) as server:
        yield server.base, admin_key


def test_every_operation_conforms_and_never_answers_5xx(live):
    base, headers = live
    schema = schemathesis.openapi.from_url(f"{base}/api/v1/openapi.json", timeout=30)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 14
    failures: list[str] = []
    for operation in operations:
        for mode in MODES:
            failures += exercise(operation, mode, headers)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures[:MAX_REPORTED])
