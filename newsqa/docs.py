"""The API's docs page, offline: Swagger UI at ``/docs``; ReDoc (``/redoc``) is off.

FastAPI's own pages load Swagger UI and ReDoc from a CDN (blank offline) and start
Swagger UI with an inline script. Here:

* the assets (Swagger UI 5's bundle and CSS, a favicon) come from the
  ``fastapi-offline`` package's ``static/`` folder, which its releases keep up to
  date, served by the app under ``/docs/assets/``;
* Swagger UI's settings (FastAPI's defaults plus ``app.swagger_ui_parameters``) are a
  script file, ``/docs/swagger-ui-init.js``, not an inline script, so the page runs
  under ``script-src 'self'`` (``newsqa.middleware.content_security_policy``);
* the page, its assets and ``/openapi.json`` hold no data and need no token
  (``newsqa.middleware.PROTECTED_PREFIXES``); with a token set the schema declares
  the bearer scheme on the ``/v1/`` operations, so Swagger UI shows "Authorize" and
  sends the token entered there with "Try it out".

ReDoc stays off: its bundle (fastapi-offline's redoc.standalone.js, ReDoc 2) hard-codes
an image from Redocly's CDN, which would be a CDN call (or a CSP error) on every visit.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.openapi.docs import swagger_ui_default_parameters
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

DOCS_URL = "/docs"
ASSETS_URL = "/docs/assets"
INIT_URL = "/docs/swagger-ui-init.js"
ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSETS = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css", "favicon.png": "image/png"}
BEARER_SCHEME = "bearerAuth"
SECURED_PREFIX = "/v1/"

_SWAGGER_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<link rel="stylesheet" type="text/css" href="{root}{assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="{root}{assets}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{root}{assets}/swagger-ui-bundle.js"></script>
<script src="{root}{init}"></script>
</body>
</html>
"""

_SWAGGER_INIT = """"use strict";
// Swagger UI's settings for this app (newsqa/docs.py); a file, so the page needs no inline script.
window.ui = SwaggerUIBundle(Object.assign({config}, {{
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
}}));
"""


def swagger_ui_config(app: FastAPI, root_path: str = "") -> dict:
    """Swagger UI's settings: FastAPI's defaults, the app's own, the schema's URL; no online validator."""
    config = {**swagger_ui_default_parameters, **(app.swagger_ui_parameters or {})}
    config.update(url=f"{root_path}{app.openapi_url}", validatorUrl=None)
    return jsonable_encoder(config)


def add_bearer_scheme(schema: dict, description: str = "") -> dict:
    """Declare the bearer scheme in ``schema`` and require it on every ``/v1/`` operation (in place; idempotent)."""
    schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
    schemes[BEARER_SCHEME] = {"type": "http", "scheme": "bearer", "description": description}
    for path, item in schema.get("paths", {}).items():
        if not path.startswith(SECURED_PREFIX):
            continue
        for op in item.values():
            if isinstance(op, dict) and "responses" in op:
                op["security"] = [{BEARER_SCHEME: []}]
    return schema


def install_docs(app: FastAPI, token_required: bool) -> None:
    """Serve ``/docs`` and its assets from this app; declare the bearer scheme when a token is required.

    Call it before anything is mounted at ``/`` (the chat page), and on an app made with
    ``docs_url=None, redoc_url=None`` (FastAPI's CDN pages off; ReDoc stays off).
    """
    if app.docs_url or app.redoc_url:
        raise ValueError("create the app with docs_url=None, redoc_url=None: newsqa.docs serves /docs, and /redoc stays off")
    title = html.escape(app.title)

    @app.get(DOCS_URL, include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return HTMLResponse(_SWAGGER_PAGE.format(title=f"{title} - Swagger UI", root=html.escape(root), assets=ASSETS_URL, init=INIT_URL))

    @app.get(INIT_URL, include_in_schema=False)
    async def swagger_ui_init(request: Request) -> Response:
        config = json.dumps(swagger_ui_config(app, request.scope.get("root_path", "")), indent=2)
        return Response(_SWAGGER_INIT.format(config=config), media_type="text/javascript")

    @app.get(ASSETS_URL + "/{name}", include_in_schema=False)
    async def swagger_ui_asset(name: str) -> FileResponse:
        if name not in ASSETS:  # only Swagger UI's files: not the ReDoc bundle beside them
            raise StarletteHTTPException(404)
        return FileResponse(ASSETS_DIR / name, media_type=ASSETS[name])

    if token_required:
        generate = app.openapi
        description = "The API token (NEWSQA_API_TOKEN)."

        def openapi() -> dict:
            return add_bearer_scheme(generate(), description)

        app.openapi = openapi
