"""The text catalogue (dashboard/texts/<lang>.yaml): complete in both languages, and every
key the dashboard's code names exists."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest

from dashboard.i18n import LANGUAGES, catalogue, t

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard"

# Texts that are deliberately empty in one language: the note that the action plan's texts
# are in Danish has nothing to say on the Danish page.
MAY_BE_EMPTY = {("indsatser.plan_language", "da")}

ALL_KEYS = sorted(set().union(*(catalogue(lang) for lang in LANGUAGES)))


def fields(text: str) -> set[str]:
    """The names of the ``{name}`` fields ``t(..., name=...)`` fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_catalogue_holds_the_app_texts() -> None:
    assert len(ALL_KEYS) > 400
    assert t("daekning.title", "da") == "Dækning og miljø"
    assert t("daekning.title", "en") == "Coverage and environment"
    assert t("footer.data_version", "en", version="v7") == "Data version: v7"
    # Leading spaces and braces survive YAML.
    assert t("fremdrift.status.uncertain", "da") == " (usikkert)"
    # An unknown language falls back to Danish.
    assert t("nav.overview", "xx") == "Overblik"


@pytest.mark.parametrize("key", ALL_KEYS)
def test_every_key_in_both_languages_with_the_same_fields(key: str) -> None:
    texts = {lang: catalogue(lang).get(key) for lang in LANGUAGES}
    missing = [lang for lang, text in texts.items() if text is None]
    assert not missing, f"{key} is missing in {', '.join(missing)}.yaml"
    for lang, text in texts.items():
        assert isinstance(text, str), f"{key} ({lang}) is not text"
        if (key, lang) not in MAY_BE_EMPTY:
            assert text.strip(), f"{key} ({lang}) is empty"
    assert fields(texts["da"]) == fields(texts["en"]), key


def _literal_keys(node: ast.expr) -> tuple[list[str], list[str]]:
    """Keys and key prefixes (of f-strings) a ``t(...)`` call's first argument names."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value], []
    if isinstance(node, ast.IfExp):
        body, body_prefixes = _literal_keys(node.body)
        other, other_prefixes = _literal_keys(node.orelse)
        return body + other, body_prefixes + other_prefixes
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return [], [first.value]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        keys, prefixes = _literal_keys(node.left)
        return [], keys + prefixes
    return [], []


def _keys_named_in_source() -> list[tuple[str, str, bool]]:
    """``(where, key or prefix, is_prefix)`` for every literal key passed to ``t``."""
    found = []
    for path in sorted(DASHBOARD.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name != "t":
                continue
            keys, prefixes = _literal_keys(node.args[0])
            where = f"{path.relative_to(DASHBOARD.parent)}:{node.lineno}"
            found += [(where, key, False) for key in keys]
            found += [(where, prefix, True) for prefix in prefixes]
    return found


def test_every_key_the_dashboard_names_exists() -> None:
    named = _keys_named_in_source()
    # The scan sees the page modules' calls, so a typo in any of them fails here.
    assert len({key for _, key, is_prefix in named if not is_prefix}) > 300
    unknown = [
        f"{where}: {key}{'…' if is_prefix else ''}"
        for where, key, is_prefix in named
        if not (any(k.startswith(key) for k in ALL_KEYS) if is_prefix else key in catalogue("da"))
    ]
    assert unknown == []


def test_the_scan_sees_conditional_f_string_and_concatenated_keys() -> None:
    call = ast.parse('t("a.b" if x else "a.c", lang)').body[0].value  # type: ignore[attr-defined]
    assert _literal_keys(call.args[0]) == (["a.b", "a.c"], [])
    call = ast.parse('t(f"a.level.{x}", lang)').body[0].value  # type: ignore[attr-defined]
    assert _literal_keys(call.args[0]) == ([], ["a.level."])
    call = ast.parse('t("a.list." + x, lang)').body[0].value  # type: ignore[attr-defined]
    assert _literal_keys(call.args[0]) == ([], ["a.list."])
