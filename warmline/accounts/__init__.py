"""Dashboard accounts and API tokens: password hashing, TOTP, token hashing, roles (SPEC §11).

Kernel code: it knows the models and the Vault, nothing of Flask or the CLI. Functions here change
rows but never commit and never audit; ``warmline.services.users`` / ``.tokens`` wrap them with the
acting coordinator and the audit entry, and are what the dashboard, the API and the CLI call.
"""

from __future__ import annotations


class AccountError(ValueError):
    """A refused account or token change; ``str()`` is one line fit to show the person who asked."""
