"""House rules that keep the codebase livable, checked on every run."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "sqm"
APP_ORDER = ["org", "events", "indicators", "complaints"]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _core_modules() -> list[Path]:
    return sorted(p for p in SRC.glob("*/core/**/*.py"))


def test_there_are_computational_core_modules_to_check() -> None:
    assert len(_core_modules()) >= 8


def test_computational_cores_import_neither_django_nor_the_database() -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(
            m for m in _imports(path) if m == "django" or m.startswith(("django.", "ninja"))
        )
        for path in _core_modules()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_cores_import_only_other_cores_from_sqm() -> None:
    offenders = {}
    for path in _core_modules():
        bad = [
            m for m in _imports(path) if m.startswith("sqm.") and ".core" not in m and m != "sqm"
        ]
        if bad:
            offenders[str(path.relative_to(SRC))] = bad
    assert offenders == {}


def test_org_depends_on_no_other_domain() -> None:
    others = ("sqm.events", "sqm.indicators", "sqm.complaints", "sqm.demo", "sqm.planning")
    offenders = {
        str(path.relative_to(SRC)): sorted(m for m in _imports(path) if m.startswith(others))
        for path in (SRC / "org").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_no_source_file_is_over_500_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
