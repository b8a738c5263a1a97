"""The dashboard's one blueprint; each page module adds its routes to it."""

from __future__ import annotations

from flask import Blueprint

# Pages live at the site's root (SPEC §11: /, /rota, /login...); assets under /assets/.
bp = Blueprint(
    "dashboard",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)
