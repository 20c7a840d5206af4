"""Benchmarks: `make bench` (python -m benchmarks) runs every ``bench_*.py`` module here.

Each module defines ``run(quick: bool) -> list[Result]``. A result times the thing being
measured *and* a floor measured in the same run on the same data (e.g. serialising the
same response, one plain pandas group-by), and reports the ratio, so the numbers mean
something on any machine. The latest results are written to docs/performance.md.
"""
