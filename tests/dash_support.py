"""Helpers for tests that inspect Dash component trees without a browser."""

from __future__ import annotations

from collections.abc import Iterator


def walk(component) -> Iterator:  # type: ignore[no-untyped-def]
    """Every component of a tree (lists, tuples and ``children`` followed depth-first)."""
    if isinstance(component, list | tuple):
        for item in component:
            yield from walk(item)
        return
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, list | tuple) else [children]:
        yield from walk(child)


def ids_in(tree) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.id for c in walk(tree) if isinstance(getattr(c, "id", None), str)}


def by_id(tree, component_id: str):  # type: ignore[no-untyped-def]
    return next(c for c in walk(tree) if getattr(c, "id", None) == component_id)
