"""The API's fixed names: version, paths, the ETag salt and the shared patterns."""

from __future__ import annotations

API_VERSION = "1.0.0"
PREFIX = "/api/v1"
DOCS_PATH = "/api"  # the human-readable page (dashboard/pages/api_docs.py)
ETAG_SALT = "keob-api-1"  # bump when the serialisation of any format changes
DEFAULT_LEVEL = "udsat_byomraade"  # as the app's Data page
YEAR_MIN, YEAR_MAX = 1900, 2100
AREA_CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
