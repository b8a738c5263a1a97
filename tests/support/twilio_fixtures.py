"""pytest fixture for the Twilio stand-in; import `twilio_standin` into a conftest to use it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.twilio_standin import TwilioStandIn


@pytest.fixture
def twilio_standin() -> Iterator[TwilioStandIn]:
    """A running stand-in for the test; teardown fails if any request broke Twilio's API."""
    with TwilioStandIn() as standin:
        yield standin
    invalid = standin.invalid_requests()
    if invalid:
        lines = [f"{r.method} {r.path}: {'; '.join(r.errors)}" for r in invalid]
        pytest.fail(
            "requests Twilio's API description rejects:\n" + "\n".join(lines), pytrace=False
        )
