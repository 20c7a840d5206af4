"""The view state lives in the URL's query string, so a link reproduces the view.

Parameter names are Danish (``kriterium``, ``aar``, ``niveau``, ``basisaar``,
``kriterier``, ``fra``, ``til``) plus ``lang``; layouts receive them as keyword arguments.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from urllib.parse import parse_qsl, urlencode

from dashboard.i18n import DEFAULT_LANG, normalise_lang


def parse(search: str | None) -> dict[str, str]:
    """``?a=1&b=2`` → ``{"a": "1", "b": "2"}`` (the last value wins)."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=False))


def lang_of(search: str | None) -> str:
    return normalise_lang(parse(search).get("lang"))


def query(params: dict[str, object]) -> str:
    """``{"kriterium": "indkomst", "lang": "da"}`` → ``?kriterium=indkomst``.

    Danish is the default, so ``lang=da`` is left out; ``None`` values are dropped.
    """
    cleaned = {
        key: _text(value)
        for key, value in params.items()
        if value is not None and value != "" and not (key == "lang" and value == DEFAULT_LANG)
    }
    return f"?{urlencode(cleaned, safe=',')}" if cleaned else ""


def updated(search: str | None, **params: object) -> str:
    """``search`` with ``params`` set (``None`` removes a parameter)."""
    merged: dict[str, object] = dict(parse(search))
    merged.update(params)
    return query(merged)


def from_url(search: str | None, select: Callable[..., object], **fixed: object) -> object:
    """What ``select`` (a page's ``selection``) makes of the URL's parameters, as the page's
    layout did when it was built from this URL."""
    accepted = inspect.signature(select).parameters
    params = {key: value for key, value in parse(search).items() if key in accepted}
    return select(**params, **fixed)


def href(path: str, lang: str, **params: object) -> str:
    """A link to ``path`` in ``lang`` with the given parameters."""
    return path + query({**params, "lang": lang})


def as_int(value: object, default: int | None = None) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default


def as_list(value: object) -> list[str]:
    """``"a,b"`` or ``["a", "b"]`` → ``["a", "b"]``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part for part in value.split(",") if part]
    if isinstance(value, Iterable):
        return [str(part) for part in value if part]
    return [str(value)]


def _text(value: object) -> str:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)
