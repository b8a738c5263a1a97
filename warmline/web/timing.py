"""How long each Twilio webhook takes to answer, for the ``warmline_webhook_seconds`` histogram.

Labelled by the route's rule (``/twilio/sms``, ``/twilio/voice/whisper``...), never by anything
the request carries, so the labels stay few and hold no number.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from warmline import metrics


def init_app(app: Flask) -> None:
    @app.before_request
    def start_timer() -> None:
        g.started = time.perf_counter()

    @app.after_request
    def observe(response: Response) -> Response:
        if request.path.startswith("/twilio/") and "started" in g:
            rule = request.url_rule.rule if request.url_rule else "unknown"
            metrics.WEBHOOK_SECONDS.labels(rule).observe(time.perf_counter() - g.started)
        return response
