"""Fuzz /api/v1 from its own OpenAPI document with schemathesis, in-process (WSGI).

Every operation of ``/api/v1/openapi.json`` gets a bounded number of generated requests
(positive and negative). Checks: no 5xx; the status code, content type, documented
headers and body conform to the schema; invalid input is rejected with a 4xx.
"""

from __future__ import annotations

import pytest
import schemathesis
import test_api_support as support
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Fixtures shared with the other API tests (one seeded store per session).
api_store = support.api_store

MAX_EXAMPLES = 25  # per operation; 16 operations stay well under a minute once warm
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


def _wsgi_app():
    # The real app: the blueprint with the Dash app's routes around it. Importing it opens
    # no store (the store is opened on the first request, after ``api_store`` set it).
    import app

    return app.server


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _wsgi_app())


@pytest.fixture(scope="module")
def warm_store(api_store: str) -> str:
    from dashboard import data

    # The first request after a load computes the joint disclosure pattern; do it here so
    # the fuzzing measures the API, not the cold cache.
    data.monitor().published_comparison("udsat_byomraade")
    return api_store


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_conforms_to_its_openapi_document(case, warm_store: str) -> None:
    case.call_and_validate(checks=CHECKS)
