"""The docs page (/docs, Swagger UI) works offline and with a token; /redoc is off (newsqa.docs).

Part 1 with TestClient: every asset is a same-origin path the app serves, no CDN URL
anywhere, the page and /openapi.json need no token while /v1/ does, and the schema
declares the bearer scheme. Part 2 in a real Chromium against ``newsqa serve`` with
every non-local request blocked: Swagger UI renders the operations with no CSP error,
and Authorize then "Try it out" reaches the API with the token.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from test_ui_browser import browser_context_args, browser_type_launch_args, serve  # noqa: F401  (fixtures: Debian's Chromium)

TOKEN = "docs-t0ken-456"
CDN_HINTS = ("cdn.jsdelivr", "unpkg", "fonts.googleapis", "fonts.gstatic", "http://", "https://")
CONTENT_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


class _Assets(HTMLParser):
    """The URLs a page loads (script src, link href) and how many inline scripts it has."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.urls.append(attrs["src"])
            else:
                self.inline_scripts += 1
        elif tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])


def page_assets(html: str) -> _Assets:
    parser = _Assets()
    parser.feed(html)
    return parser


def make_app(tmp_path, embedder, token: str | None = None):
    from newsqa.api import create_app
    from rag.library import Library
    from rag.settings import Settings

    settings = Settings(data_dir=tmp_path, api_token=token)
    return create_app(settings, Library(settings, embedder), mount_ui=False)


@pytest.fixture
def client(tmp_path, embedder):
    with TestClient(make_app(tmp_path, embedder)) as c:
        yield c


@pytest.fixture
def token_client(tmp_path, embedder):
    with TestClient(make_app(tmp_path, embedder, TOKEN)) as c:
        yield c


# ------------------------------------------------------------------ 1. TestClient


def check_page(c: TestClient, path: str, headers: dict | None = None) -> list[str]:
    """``path`` is HTML whose assets are same-origin paths that load; returns them."""
    r = c.get(path, headers=headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert not [h for h in CDN_HINTS if h in r.text], r.text
    assets = page_assets(r.text)
    assert assets.inline_scripts == 0  # the CSP allows no inline script on the docs pages
    assert assets.urls
    for url in assets.urls:
        assert url.startswith("/") and not url.startswith("//"), url
        got = c.get(url, headers=headers)
        assert got.status_code == 200, url
        ext = re.search(r"\.[a-z]+$", urlsplit(url).path).group(0)
        assert got.headers["content-type"].startswith(CONTENT_TYPES[ext]), (url, got.headers["content-type"])
        assert got.content
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and not [h for h in CDN_HINTS if h in csp], csp
    return assets.urls


def test_docs_assets_are_the_apps_own(client):
    urls = check_page(client, "/docs")
    assert {u.rsplit("/", 1)[-1] for u in urls} == {"swagger-ui.css", "favicon.png", "swagger-ui-bundle.js", "swagger-ui-init.js"}
    init = client.get("/docs/swagger-ui-init.js").text
    assert '"url": "/openapi.json"' in init and '"validatorUrl": null' in init  # no online validator badge
    assert not [h for h in CDN_HINTS if h in init]
    bundle = client.get("/docs/assets/swagger-ui-bundle.js").text
    assert re.search(r'PACKAGE_VERSION:"5\.\d+\.\d+"', bundle)  # Swagger UI 5, as FastAPI's own page uses


def test_only_swagger_ui_is_served_redoc_is_off(client):
    assert client.get("/redoc").status_code == 404  # its bundle hard-codes an image on Redocly's CDN
    assert client.get("/docs/assets/redoc.standalone.js").status_code == 404
    assert client.get("/docs/assets/..%2Fcore.py").status_code == 404
    assert client.get("/docs/oauth2-redirect").status_code == 404


def test_docs_load_without_the_token_the_api_still_needs_it(token_client):
    check_page(token_client, "/docs")
    assert token_client.get("/docs/swagger-ui-init.js").status_code == 200
    assert token_client.get("/openapi.json").status_code == 200
    assert token_client.get("/v1/articles").status_code == 401
    assert token_client.get("/v1/articles", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_schema_declares_the_bearer_scheme_on_the_api(token_client):
    schema = token_client.get("/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert len(schemes) == 1
    (name, scheme), = schemes.items()
    assert scheme["type"] == "http" and scheme["scheme"] == "bearer"
    for path, item in schema["paths"].items():
        for method, op in item.items():
            if path.startswith("/v1/"):
                assert op["security"] == [{name: []}], (method, path)
            else:
                assert "security" not in op, (method, path)  # /healthz is open
    assert "ArticleIn" in schema["components"]["schemas"]  # the app's own schema additions are kept


def test_no_bearer_scheme_without_a_token(client):
    schema = client.get("/openapi.json").json()
    assert "securitySchemes" not in schema.get("components", {})
    assert client.get("/v1/articles").status_code == 200


# ------------------------------------------------------------------ 2. a real Chromium, offline


@pytest.fixture(scope="module")
def docs_server(tmp_path_factory):
    yield from serve(tmp_path_factory.mktemp("docs-open"), [])


@pytest.fixture(scope="module")
def docs_token_server(tmp_path_factory):
    yield from serve(tmp_path_factory.mktemp("docs-token"), [], NEWSQA_API_TOKEN=TOKEN)


def offline(page: Page) -> dict:
    """Abort every request to a host other than 127.0.0.1; record them, the console errors and the API calls' auth."""
    seen = {"blocked": [], "errors": [], "auth": {}}

    def route(r):
        url = urlsplit(r.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname != "127.0.0.1":
            seen["blocked"].append(r.request.url)
            return r.abort()
        if url.path.startswith("/v1/"):
            seen["auth"][url.path] = r.request.headers.get("authorization")
        return r.continue_()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    return seen


@pytest.mark.browser
@pytest.mark.slow
def test_swagger_ui_renders_offline_under_the_csp(page: Page, docs_server):
    seen = offline(page)
    page.goto(docs_server + "docs")
    expect(page.get_by_text("/v1/ask", exact=True).first).to_be_visible(timeout=30_000)
    expect(page.get_by_text("/v1/chat/completions", exact=True).first).to_be_visible()
    assert page.locator(".btn.authorize").count() == 0  # no token, no Authorize button
    assert not seen["blocked"] and not seen["errors"], seen


@pytest.mark.browser
@pytest.mark.slow
def test_authorize_then_try_it_out_with_the_token(page: Page, docs_token_server):
    seen = offline(page)
    page.goto(docs_token_server + "docs")  # no token needed for the page itself
    authorize = page.locator("button.btn.authorize").first
    expect(authorize).to_be_visible(timeout=30_000)
    authorize.click()
    modal = page.locator(".modal-ux")
    modal.locator("input").first.fill(TOKEN)
    modal.locator("button.authorize").click()
    modal.locator("button.btn-done").click()

    op = page.locator(".opblock.opblock-get").filter(has=page.get_by_text("/v1/models", exact=True))
    op.locator(".opblock-summary").first.click()
    op.locator("button.try-out__btn").click()
    op.locator("button.execute").click()
    status = op.locator(".live-responses-table tr.response .response-col_status").first
    expect(status).to_have_text("200", timeout=30_000)
    expect(op.locator(".live-responses-table tr.response .response-col_description")).to_contain_text('"object": "list"')
    assert seen["auth"].get("/v1/models") == f"Bearer {TOKEN}"
    assert not seen["blocked"] and not seen["errors"], seen
