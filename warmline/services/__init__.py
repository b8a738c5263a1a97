"""Coordinator services: the one way the dashboard, the JSON API and the CLI change things.

Every function that changes something takes ``actor`` (who asked) and ``now`` and records an
audit entry in the caller's unit of work, so the change and its record commit together.
"""
