"""The baseline of bench_relay.py: a bare Flask app whose POST /twilio/sms answers empty TwiML.

No signature check, no database: what gunicorn + Flask cost on their own with the same settings.
"""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response />'


@app.post("/twilio/sms")
def sms() -> Response:
    return Response(EMPTY_TWIML, mimetype="text/xml")


@app.get("/healthz")
def healthz() -> Response:
    return Response("{}", mimetype="application/json")
