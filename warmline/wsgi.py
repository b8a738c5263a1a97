"""WSGI entry point for gunicorn: ``gunicorn warmline.wsgi:app``."""

from warmline.app import create_app

app = create_app()
