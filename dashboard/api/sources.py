"""The sources and licences of each dataset, from ``data/attributions.yaml``
(``indicators.attributions``): no route carries its own licence literals."""

from __future__ import annotations

from collections.abc import Sequence

from indicators import attributions, formats
from indicators.registry import load_registry


def geography_source() -> formats.Source:
    return attributions.source("geography")


def project_source() -> formats.Source:
    return attributions.source("project")


def synthetic_source() -> formats.Source:
    return attributions.source("synthetic")


def criterion_sources(codes: Sequence[str], synthetic: bool) -> tuple[formats.Source, ...]:
    """One source per criterion (its registry ``source``), the geography, and the demo
    data when any value is synthetic."""
    registry = load_registry()
    items = [
        attributions.source(
            "criterion", name=registry[c].name_da, code=c, source=registry[c].source
        )
        for c in codes
        if c in registry
    ]
    sources = list(formats.sources_from((s.name, s.licence, s.attribution, s.url) for s in items))
    sources.append(geography_source())
    if synthetic:
        sources.append(synthetic_source())
    return tuple(sources)


def merged(*sources: formats.Source) -> tuple[formats.Source, ...]:
    """``sources`` without repeats, in order."""
    return formats.sources_from((s.name, s.licence, s.attribution, s.url) for s in sources)
