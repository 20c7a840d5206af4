"""Run every benchmark module and write the results into docs/performance.md."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

import benchmarks
from benchmarks.harness import format_table

PERFORMANCE_DOC = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", help="module names to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--no-write", action="store_true", help="do not update performance.md")
    args = parser.parse_args()

    modules = sorted(
        m.name for m in pkgutil.iter_modules(benchmarks.__path__) if m.name.startswith("bench_")
    )
    if args.only:
        modules = [m for m in modules if m in args.only or m.removeprefix("bench_") in args.only]
    sections = []
    for name in modules:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        results = module.run(quick=args.quick)
        table = format_table(results)
        print(table, flush=True)
        doc = (module.__doc__ or "").strip()
        sections.append((name, f"### {name}\n\n{doc}\n\n{table}\n"))
    if args.no_write or not sections:
        return
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = PERFORMANCE_DOC.read_text(encoding="utf-8") if PERFORMANCE_DOC.exists() else ""
    for name, body in sections:
        start, end = f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"
        quick = " (quick sizes)" if args.quick else ""
        block = f"{start}\n{body}\n_Run {stamp} on {machine}{quick}._\n{end}"
        if start in text and end in text:
            pattern = re.escape(start) + ".*?" + re.escape(end)
            text = re.sub(pattern, lambda _, b=block: b, text, flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
    PERFORMANCE_DOC.write_text(text, encoding="utf-8")
    print(f"Wrote {PERFORMANCE_DOC}")


if __name__ == "__main__":
    main()
