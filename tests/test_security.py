"""Response headers, request limits, read-only routes, error pages and store faults
(docs/security.md, docs/reliability.md), through Flask's test client."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from dashboard import security
from dashboard.page_contract import EMPTY_NOTICE, UNAVAILABLE_NOTICE
from db import migrate
from tests.test_app_routes import app_module, client, route_request, routed, seeded_url  # noqa: F401

REPO_ROOT = Path(__file__).resolve().parent.parent
READ_ONLY = {"GET", "HEAD", "OPTIONS"}
# Dash's callback endpoint is POST by protocol; it computes, it stores nothing.
CALLBACK_ROUTES = {"/_dash-update-component"}


def csp_of(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in policy.split("; ")}


# ---------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    "path", ["/", "/kort", "/api/v1/openapi.json", "/geo/bydel.geojson", "/health", "/nowhere"]
)
def test_every_response_carries_the_security_headers(client, path: str) -> None:  # noqa: F811
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    csp = csp_of(response)
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["default-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]


def test_the_policy_allows_no_unsafe_script(client) -> None:  # noqa: F811
    csp = csp_of(client.get("/"))
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert not any(s.startswith(("http:", "https:", "*")) for v in csp.values() for s in v)


def test_every_inline_script_of_the_page_is_allowed_by_its_hash(client) -> None:  # noqa: F811
    routed(client, "/")  # pages register their clientside callbacks on Dash's first request
    response = client.get("/")
    html = response.get_data(as_text=True)
    inline = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert len(inline) >= 2  # the clientside callbacks and the renderer
    allowed = set(csp_of(response)["script-src"])
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, body[:80]


# ---------------------------------------------------------------------------- read-only


def test_no_route_writes(app_module) -> None:  # noqa: F811
    writers = {
        rule.rule: sorted(rule.methods - READ_ONLY)
        for rule in app_module.server.url_map.iter_rules()
        if rule.methods - READ_ONLY and rule.rule not in CALLBACK_ROUTES
    }
    assert writers == {}


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_writing_methods_are_refused(client, method: str) -> None:  # noqa: F811
    assert getattr(client, method)("/api/v1/indicators.csv").status_code == 405
    assert getattr(client, method)("/").status_code == 405


# ---------------------------------------------------------------------------- limits


@pytest.mark.parametrize("path", ["/", "/kort", "/_dash-layout"])
def test_an_oversized_query_string_gets_414(client, path: str) -> None:  # noqa: F811
    response = client.get(f"{path}?area={'R' * (security.MAX_QUERY_BYTES + 1)}")
    assert response.status_code == 414


def test_an_oversized_api_query_gets_the_documented_400_problem(client) -> None:  # noqa: F811
    response = client.get(f"/api/v1/indicators.csv?area={'R' * security.MAX_QUERY_BYTES}")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert str(security.MAX_QUERY_BYTES) in response.get_json()["detail"]


def test_a_query_string_at_the_limit_is_served(client) -> None:  # noqa: F811
    pad = "x" * (security.MAX_QUERY_BYTES - len("lang=da&pad="))
    assert client.get(f"/?lang=da&pad={pad}").status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b"{}",
        b'{"output": 1, "inputs": []}',
        b'{"output": "a.b", "inputs": {}}',
        b'{"output": "a.b", "inputs": [{"property": "value"}]}',
        b'{"output": "a.b", "inputs": [], "state": [[{"id": "x"}]]}',
    ],
)
def test_malformed_callback_bodies_get_400(client, body: bytes) -> None:  # noqa: F811
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def test_an_oversized_callback_body_gets_413(client) -> None:  # noqa: F811
    body = b'{"output": "a.b", "inputs": [], "pad": "' + b"x" * security.MAX_CALLBACK_BYTES + b'"}'
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413


def test_a_real_callback_still_works(client) -> None:  # noqa: F811
    assert 'id":"' in routed(client, "/kort")


# ---------------------------------------------------------------------------- error pages


def _reveals_internals(text: str) -> bool:
    return bool(
        re.search(r"Traceback|File \"/|Werkzeug/|Python/\d|site-packages|/work/|\.py\b", text)
    )


def test_an_unexpected_error_reveals_nothing(client, monkeypatch) -> None:  # noqa: F811
    from dashboard import data

    def broken(*args: object) -> None:
        raise RuntimeError(f"secret detail in {__file__}")

    monkeypatch.setattr(data, "years", broken)
    response = route_request(client, "/kort")
    assert response.status_code == 500
    text = response.get_data(as_text=True)
    assert "Internal error" in text
    assert "secret" not in text and not _reveals_internals(text)


@pytest.mark.parametrize(
    "path",
    ["/_dash-component-suites/x/y.js", "/assets/nothing.css", "/api/v1/nothing", "/geo/x.geojson"],
)
def test_not_found_pages_reveal_nothing(client, path: str) -> None:  # noqa: F811
    response = client.get(path)
    assert response.status_code == 404
    assert not _reveals_internals(response.get_data(as_text=True))
    assert "Server" not in response.headers or "/" not in response.headers["Server"]


# ---------------------------------------------------------------------------- store faults


@pytest.fixture
def own_store(
    seeded_url: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Path]:
    """The app on a copy of the seeded SQLite store, for one test to take away."""
    from dashboard import data

    path = tmp_path / "keob.sqlite"
    with (
        closing(sqlite3.connect(make_url(seeded_url).database)) as source,
        closing(sqlite3.connect(path)) as target,
    ):
        source.backup(target)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    data.reset()
    yield path
    data.reset()


def _assert_unavailable(http) -> None:  # type: ignore[no-untyped-def]
    health = http.get("/health")
    assert health.status_code == 503
    api = http.get("/api/v1/indicators.csv")
    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert not _reveals_internals(api.get_data(as_text=True))
    page = routed(http, "/")
    assert UNAVAILABLE_NOTICE in page
    assert "midlertidigt utilgængelige" in page


def test_an_empty_store_says_so_on_every_page(client, tmp_path, monkeypatch) -> None:  # noqa: F811
    from dashboard import data

    path = tmp_path / "empty.sqlite"
    migrate.upgrade(f"sqlite:///{path}")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    data.reset()
    try:
        for page in ("/", "/kort", "/fremdrift", "/omraade/ub-alle"):
            assert EMPTY_NOTICE in routed(client, page), page
        for page in ("/om", "/api", "/findes-ikke"):
            assert EMPTY_NOTICE not in routed(client, page), page
    finally:
        data.reset()


def test_a_store_file_that_disappears_gives_503_and_recovers(client, own_store) -> None:  # noqa: F811
    assert client.get("/health").status_code == 200
    assert UNAVAILABLE_NOTICE not in routed(client, "/")

    moved = own_store.with_suffix(".away")
    own_store.rename(moved)
    _assert_unavailable(client)
    # SQLite would create a new, empty file at the path; the store must not come back empty.
    assert not own_store.exists()

    moved.rename(own_store)
    assert client.get("/health").status_code == 200
    assert UNAVAILABLE_NOTICE not in routed(client, "/")


@pytest.mark.parametrize(
    ("headers", "path", "expected"),
    [
        ({}, "/kort", "midlertidigt utilgængelige"),
        ({"Accept-Language": "en-GB,en;q=0.9"}, "/kort", "temporarily unavailable"),
        ({"Accept-Language": "en"}, "/kort?lang=da", "midlertidigt utilgængelige"),
        ({}, "/kort?lang=en", "temporarily unavailable"),
        ({}, "/_dash-update-component", "midlertidigt utilgængelige"),
    ],
)
def test_the_unavailable_answer_speaks_the_asked_language(
    app_module,  # noqa: F811
    headers: dict[str, str],
    path: str,
    expected: str,
) -> None:
    with app_module.server.test_request_context(path, headers=headers):
        response = security.unavailable()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert expected in response.get_data(as_text=True)


@pytest.fixture
def own_postgres() -> Iterator[tuple[str, Path]]:
    """A PostgreSQL cluster of this test's own, which it may stop and start again."""
    if not os.environ.get("TEST_DATABASE_URL"):
        from tests.conftest import skip_or_fail

        skip_or_fail("TEST_DATABASE_URL is not set (make test starts a PostgreSQL cluster)")
    # Not under tmp_path: the server runs as `postgres`, which cannot enter pytest's 0700
    # folders when the tests run as root.
    state_dir = Path(tempfile.mkdtemp(prefix="keob-pg-fault-"))
    state_dir.chmod(0o755)
    env = {**os.environ, "PG_TEST_PORT": "55480", "PG_TEST_STATE_DIR": str(state_dir)}
    script = REPO_ROOT / "scripts" / "pg-test-cluster.sh"
    out = subprocess.run(
        [str(script), "start"], env=env, check=True, capture_output=True, text=True
    ).stdout
    values = dict(re.findall(r"export (\w+)=(\S+)", out))
    try:
        yield values["TEST_DATABASE_URL"], Path(values["PG_TEST_DATA"])
    finally:
        subprocess.run([str(script), "stop"], env=env, check=False, capture_output=True)
        shutil.rmtree(state_dir, ignore_errors=True)


def _pg_ctl(data_dir: Path, action: str, port: int) -> None:
    bin_dir = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    command = [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-w", "-t", "30", "-m", "fast"]
    if action == "start":  # as scripts/pg-test-cluster.sh started it
        options = f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        command += ["-l", str(data_dir / "server.log"), "-o", options]
    command.append(action)
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True)


@pytest.mark.postgres
def test_a_stopped_postgresql_gives_503_and_recovers(
    client,  # noqa: F811
    own_postgres: tuple[str, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dashboard import data

    url, data_dir = own_postgres
    port = int(make_url(url).port or 5432)
    migrate.upgrade(url)
    monkeypatch.setenv("DATABASE_URL", url)
    data.reset()
    try:
        assert client.get("/health").status_code == 200
        _pg_ctl(data_dir, "stop", port)
        _assert_unavailable(client)
        _pg_ctl(data_dir, "start", port)
        assert client.get("/health").status_code == 200
        assert UNAVAILABLE_NOTICE not in routed(client, "/")
    finally:
        data.reset()
