"""The import contracts declared in pyproject.toml ([tool.importlinter]) hold.

Layers: dashboard | keob  ->  indicators  ->  db, and neither indicators nor db imports
Dash, Plotly or Flask. The dashboard imports of db only db.engine (its reads go through
indicators.services); no calculator imports db (only indicators.services and the
importers); the API package depends one way (route table -> OpenAPI -> serving); views
never import each other.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def _lint_imports() -> str:
    script = Path(sys.executable).with_name("lint-imports")
    if script.exists():
        return str(script)
    found = shutil.which("lint-imports")
    assert found, "lint-imports (import-linter) is not installed; run make setup"
    return found


def test_import_contracts_hold() -> None:
    done = subprocess.run(
        [_lint_imports(), "--no-cache"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"lint-imports failed:\n{done.stdout}\n{done.stderr}"
    assert " 0 broken" in done.stdout, done.stdout
