"""Generated requests (schemathesis) against the app's own OpenAPI schema: never a 5xx, responses match the docs."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from conftest import SEED

MAX_EXAMPLES = 12  # per operation and generation mode: bounded, for CI

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory, embedder):
    from ingest.pipeline import ingest_paths
    from newsqa.api import create_app
    from rag.library import Library
    from rag.settings import Settings

    library = Library(Settings(data_dir=tmp_path_factory.mktemp("schemathesis"), max_upload_mb=1), embedder)
    ingest_paths(library, [str(SEED)])
    app = create_app(library.settings, library, mount_ui=False)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
def test_no_server_errors_and_documented_responses(case):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
