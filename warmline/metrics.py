"""Prometheus metrics (GET /metrics). Labels never carry numbers or message text."""

from prometheus_client import Counter

WEBHOOKS = Counter("warmline_webhooks_total", "Twilio webhooks handled", ["path", "outcome"])
OUTBOX = Counter("warmline_outbox_total", "Outbound messages by delivery result", ["result"])
ESCALATIONS = Counter("warmline_escalations_total", "Escalations raised", ["level", "source"])
