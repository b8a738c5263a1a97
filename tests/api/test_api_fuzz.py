"""The API fuzzed from the document it serves (schemathesis), on SQLite and PostgreSQL: no
server error, and every answer conforms to the document (status, content type, schema,
headers). Bounded: a handful of examples per operation keeps the suite quick.

Driven through hypothesis directly rather than schemathesis's pytest plugin, whose lazy
fixture loading does not run under this pytest version.

Writes are fuzzed too (as a coordinator, on a line with volunteers, shifts, a swap and an
escalation to act on). For them schemathesis's "schema-valid data must be accepted" check is
left out: a document describes a well-formed request, not the rota's and the people's rules
(a number already taken, a shift already over), which the API refuses with 422 or 409, both
documented. Reads keep the check: a well-formed query is always answered.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.conftest import bearer

CONTACT = "+12025550161"
TUESDAY_EVENING = "2026-11-24T23:30:00Z"


def seed(client: Any, twilio: Any, people: Any, token: str) -> None:
    """Something for every resource to find: a conversation with an escalation, a weekly
    shift, an open swap of it."""
    people.volunteer("Ann")
    bo = people.volunteer("Bo", on_shift=False)
    twilio.sms(CONTACT, "hello")
    twilio.sms("+12025550162", "I want to kill myself tonight")
    auth = bearer(token)
    shift = {"day": "tue", "start": "18:00", "end": "22:00", "volunteers": [bo.id]}
    assert client.post("/api/v1/shifts", json=shift, headers=auth).status_code == 201
    offer = {"action": "offer", "volunteer_id": bo.id, "at": TUESDAY_EVENING}
    assert client.post("/api/v1/swaps", json=offer, headers=auth).status_code == 201


def conformance_test(operation: Any, headers: dict[str, str], examples: int) -> Any:
    """A hypothesis test calling ``operation`` with generated cases and checking each answer."""
    excluded = [] if operation.method.upper() == "GET" else [positive_data_acceptance]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case: Any) -> None:
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    return conforms


def fuzz(schema: Any, headers: dict[str, str], examples: int) -> int:
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        conformance_test(operation, headers, examples)()
    return len(operations)


def test_api_conforms_to_its_document(
    app: Any, client: Any, twilio: Any, people: Any, tokens: Any
) -> None:
    seed(client, twilio, people, tokens["coordinator"])
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    assert fuzz(schema, bearer(tokens["coordinator"]), 6) >= 30
    # A role that may do little: its refusals (403) conform too.
    fuzz(schema, bearer(tokens["viewer"]), 2)
