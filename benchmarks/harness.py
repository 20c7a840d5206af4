"""Timing helpers shared by the benchmark modules."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    """One measured item against its floor (both median seconds over ``repeat`` runs)."""

    name: str
    seconds: float
    floor_name: str
    floor_seconds: float
    repeat: int
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.seconds / self.floor_seconds if self.floor_seconds > 0 else float("inf")


def median_seconds(fn: Callable[[], object], repeat: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn`` over ``repeat`` runs after ``warmup`` untimed runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(
    name: str,
    fn: Callable[[], object],
    floor_name: str,
    floor_fn: Callable[[], object],
    repeat: int = 5,
    warmup: int = 1,
    **extra: str,
) -> Result:
    """Time ``fn`` and its floor in the same run, interleaved warm-ups included
    (``warmup=0`` for work too long to do twice)."""
    floor = median_seconds(floor_fn, repeat, warmup)
    measured = median_seconds(fn, repeat, warmup)
    return Result(name, measured, floor_name, floor, repeat, dict(extra))


def format_table(results: list[Result]) -> str:
    lines = [
        "| benchmark | median | floor | floor median | ratio | notes |",
        "|---|---:|---|---:|---:|---|",
    ]
    for r in results:
        notes = "; ".join(f"{k}: {v}" for k, v in r.extra.items())
        lines.append(
            f"| {r.name} | {r.seconds * 1000:.1f} ms | {r.floor_name} | "
            f"{r.floor_seconds * 1000:.2f} ms | {r.ratio:.1f}x | {notes} |"
        )
    return "\n".join(lines)
