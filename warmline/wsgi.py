"""WSGI entry point for gunicorn: ``gunicorn warmline.wsgi:app``.

A configuration mistake stops the process with one line naming the setting, not a traceback.
"""

import sys

from warmline.app import create_app
from warmline.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    print(f"error: {exc}", file=sys.stderr, flush=True)
    sys.exit(2)
