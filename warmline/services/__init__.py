"""Coordinator services: the one place the dashboard, the API and the CLI change things.

Every function that changes something takes the acting ``Actor``, checks their role, and records
an audit entry in the same unit of work as the change (SPEC §12).
"""
