"""RFC 9457 problem details: raised anywhere in a request, written by one function."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from flask import Response, request

from dashboard.api.constants import DOCS_PATH, PREFIX

PROBLEM_TITLES: dict[str, tuple[int, str]] = {
    "invalid-parameter": (400, "Invalid query parameter"),
    "not-found": (404, "Not found"),
    "method-not-allowed": (405, "Method not allowed"),
    "not-loaded": (503, "Not loaded yet"),
    "store-unavailable": (503, "The store is unavailable"),
    "too-large": (413, "Too large for this format"),
    "internal-error": (500, "Internal error"),
}


class Problem(Exception):
    """An RFC 9457 problem: raised anywhere in a request, turned into JSON by the handler."""

    def __init__(
        self,
        kind: str,
        detail: str,
        *,
        invalid_params: Sequence[Mapping[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.status, self.title = PROBLEM_TITLES[kind]
        self.detail = detail
        self.invalid_params = [dict(p) for p in invalid_params]
        self.headers = dict(headers or {})

    def body(self, instance: str) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "type": f"{DOCS_PATH}#problem-{self.kind}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.invalid_params:
            doc["invalid_params"] = self.invalid_params
        return doc


def problem_response(problem: Problem) -> Response:
    path = request.full_path.rstrip("?") if request else PREFIX
    response = Response(
        orjson.dumps(problem.body(path)),
        status=problem.status,
        mimetype="application/problem+json",
    )
    for name, value in problem.headers.items():
        response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
