"""An accepted text is never lost while the database is away (issue 13): gunicorn with two
workers takes a burst of texts while its private PostgreSQL is stopped for a few seconds. Every
webhook is answered 200 (Twilio would drop a text after a few failures), every text is stored
once the database is back, and each contact's texts in the order they were sent."""

from __future__ import annotations

import pytest

from tests.support.outage import burst_through_outage

pytestmark = pytest.mark.slow


@pytest.mark.timeout(180)
def test_texts_sent_while_the_database_is_down_are_kept_and_stored_in_order(
    private_postgres, tmp_path
):
    figures = burst_through_outage(
        private_postgres, tmp_path, texts=120, rate=20, outage=5, start_after=1.5
    )
    print(f"\n{figures}")
    assert figures.statuses == {200: 120}
    assert figures.lost == 0
    assert figures.out_of_order == 0
