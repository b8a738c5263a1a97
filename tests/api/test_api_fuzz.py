"""The API fuzzed from the document it serves (schemathesis), on SQLite and PostgreSQL: no
server error, and every answer conforms to the document (status, content type, schema,
headers). Bounded: a handful of examples per operation keeps the suite quick.

Driven through hypothesis directly rather than schemathesis's pytest plugin, whose lazy
fixture loading does not run under this pytest version.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.api.conftest import bearer

CONTACT = "+12025550161"


def test_api_conforms_to_its_document(app: Any, twilio: Any, people: Any, tokens: Any) -> None:
    people.volunteer("Ann")
    twilio.sms(CONTACT, "hello")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = bearer(tokens["coordinator"])
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: Any) -> None:
            case.call_and_validate(headers=headers)

        conforms()
