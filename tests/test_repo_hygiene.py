"""Repository rules: CI runs the README's test command, no big files, no store in git."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 5 * 1024 * 1024


def _code_lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    if not shutil.which("git") or not (REPO_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)


def test_ci_runs_make_test() -> None:
    ci = REPO_ROOT / ".ci" / "run"
    assert ci.is_file(), ".ci/run is missing"
    assert os.access(ci, os.X_OK), ".ci/run is not executable"
    assert ci.read_text(encoding="utf-8").startswith(("#!/usr/bin/env bash", "#!/bin/bash"))
    code = _code_lines(ci)
    assert any(re.search(r"(^|[\s;&|])make\s+test(\s|$)", line) for line in code), (
        ".ci/run must run `make test`"
    )
    assert any("set -euo pipefail" in line for line in code)


def test_ci_run_is_executable_in_git() -> None:
    done = _git("ls-files", "-s", ".ci/run")
    if not done.stdout.strip():
        pytest.skip(".ci/run is not tracked yet")
    assert done.stdout.split()[0] == "100755", "chmod +x .ci/run and git add it again"


def test_readme_gives_run_and_test_commands() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("make run", "make test"):
        assert command in readme, f"README.md must tell the reader to `{command}`"


def test_makefile_has_the_documented_targets() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("setup", "setup-system", "run", "test", "test-fast", "lint", "clean-db"):
        assert re.search(rf"^{re.escape(target)}:", makefile, re.M), f"no `{target}` target"


def test_no_big_files_outside_data() -> None:
    done = _git("ls-files", "-z", "--cached")
    big = []
    for name in filter(None, done.stdout.split("\0")):
        if name.startswith("data/"):
            continue
        path = REPO_ROOT / name
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            big.append(f"{name} ({path.stat().st_size / 1e6:.1f} MB)")
    assert not big, f"files over 5 MB tracked outside data/: {big}"


def test_store_files_are_ignored_and_untracked() -> None:
    probes = ["var/keob.sqlite", "var/keob.sqlite-wal", "keob.sqlite", "tests/x.sqlite"]
    done = _git("check-ignore", "--no-index", *probes)
    ignored = set(done.stdout.split())
    assert ignored == set(probes), f"not gitignored: {sorted(set(probes) - ignored)}"
    tracked = _git("ls-files", "--cached", "*.sqlite", "*.sqlite-*", "var/").stdout.split()
    assert not tracked, f"store files tracked in git: {tracked}"
