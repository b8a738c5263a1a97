"""Coordinator services shared by the dashboard, the API and the CLI.

Every function that changes something takes the acting ``warmline.audit.Actor`` and ``now`` and
records an audit entry in the caller's unit of work; none commits on its own.
"""
