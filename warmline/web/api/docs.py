"""``/api/v1/docs``: Swagger UI on the served document, from files shipped in the package.

swagger-ui-dist is vendored in ``static/swagger-ui`` (Apache 2.0, its LICENSE and NOTICE
beside it; version in VERSION.txt) rather than loaded from a CDN: a fresh install is often
offline, and a deployment with a strict Content-Security-Policy refuses other origins. The page
has no inline script (``static/docs.js`` starts the UI), so ``script-src 'self'`` allows it.
Like the document itself, the page needs no token; trying a request asks for one.
"""

from __future__ import annotations

from flask import Blueprint, Response, url_for
from markupsafe import escape

docs = Blueprint(
    "api_docs", __name__, static_folder="static", static_url_path="/api/v1/docs/static"
)

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>warmline API</title>
<link rel="stylesheet" href="{css}">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{document}"></div>
<script src="{bundle}"></script>
<script src="{preset}"></script>
<script src="{start}"></script>
</body>
</html>
"""


@docs.get("/api/v1/docs")
def page() -> Response:
    def static(name: str) -> str:
        return str(escape(url_for("api_docs.static", filename=name)))

    html = PAGE.format(
        css=static("swagger-ui/swagger-ui.css"),
        document=escape(url_for("api-docs.openapi_json")),
        bundle=static("swagger-ui/swagger-ui-bundle.js"),
        preset=static("swagger-ui/swagger-ui-standalone-preset.js"),
        start=static("docs.js"),
    )
    return Response(html, mimetype="text/html")
