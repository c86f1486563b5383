"""House rules that keep the codebase livable, checked on every run.

The import rules are import-linter contracts in pyproject.toml (``lint-imports``): pure cores,
no app importing the composition root, apps depending downward, apps meeting through their
services face. The tests here run them and show that a broken rule fails.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter import ContractCheck

from tests.import_contracts import ServicesOnlyContract

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "sqm"


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


def _pure_lib_modules() -> set[str]:
    """The shared helpers in sqm.lib that import no Django: pure cores may use them."""
    return {
        f"sqm.lib.{path.stem}"
        for path in (SRC / "lib").glob("*.py")
        if path.stem != "__init__"
        and not any(m == "django" or m.startswith("django.") for m in _imports(path))
    }


def test_there_are_computational_core_modules_to_check() -> None:
    assert len(_core_modules()) >= 8


def test_every_import_contract_is_kept() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is in the test extra"
    run = subprocess.run(
        [lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stdout[-4000:]
    assert "4 kept, 0 broken" in run.stdout


def _services_only(imports: list[tuple[str, str]]) -> ContractCheck:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        for module in (importer, imported):
            parts = module.split(".")
            for end in range(1, len(parts) + 1):  # the packages above it too
                graph.add_module(".".join(parts[:end]))
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    contract = ServicesOnlyContract(
        name="apps meet through services",
        session_options={"root_packages": ["sqm"]},
        contract_options={
            "apps": ["sqm.complaints", "sqm.tracing"],
            "public": ["services", "core"],
        },
    )
    return contract.check(graph, verbose=False)


def test_an_app_importing_another_apps_models_breaks_the_services_contract() -> None:
    check = _services_only([("sqm.tracing.web.views", "sqm.complaints.models")])
    assert not check.kept
    assert check.metadata["violations"] == ["sqm.tracing.web.views:1 imports sqm.complaints.models"]


@pytest.mark.parametrize(
    "imported", ["sqm.complaints.services", "sqm.complaints.core.categories", "sqm.org.models"]
)
def test_an_app_may_import_another_through_its_faces(imported: str) -> None:
    assert _services_only([("sqm.tracing.web.views", imported)]).kept


def test_cores_import_only_other_cores_from_sqm() -> None:
    allowed = _pure_lib_modules()
    offenders = {}
    for path in _core_modules():
        bad = [
            m
            for m in _imports(path)
            if m.startswith("sqm.") and ".core" not in m and m != "sqm" and m not in allowed
        ]
        if bad:
            offenders[str(path.relative_to(SRC))] = bad
    assert offenders == {}


def test_the_shared_helpers_import_no_app() -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(
            m for m in _imports(path) if m.startswith("sqm.") and not m.startswith("sqm.lib")
        )
        for path in (SRC / "lib").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
    assert {"sqm.lib.periods", "sqm.lib.charts"} <= _pure_lib_modules()


def test_no_source_file_is_over_500_lines() -> None:
    long = {
        str(p.relative_to(SRC)): n
        for p in SRC.rglob("*.py")
        if "migrations" not in p.parts
        and (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
