"""``/geo/<level>.geojson``: simplified area geometry as a cacheable URL.

Choropleths reference these URLs instead of embedding geometry, so callbacks never resend
it and the browser caches it (ETag = data version + level).
"""

from __future__ import annotations

import hashlib

from flask import Blueprint, Response, abort, request

from dashboard import data

blueprint = Blueprint("geo", __name__)


@blueprint.get("/geo/<level>.geojson")
def level_geojson(level: str) -> Response:
    if level not in data.GEO_LEVELS:
        abort(404)
    version = data.data_version()
    body = data.web_geojson_bytes(level)
    response = Response(body, mimetype="application/geo+json")
    response.set_etag(hashlib.sha256(f"{version}|{level}".encode()).hexdigest()[:32])
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    return response.make_conditional(request)
