"""The lock file: what a clean clone installs is what was tested, with uv or with pip."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("test", "spark", "bench")


def _lock() -> dict[str, Any]:
    with open(ROOT / "uv.lock", "rb") as handle:
        return tomllib.load(handle)


def _project() -> dict[str, Any]:
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return tomllib.load(handle)["project"]


def _sqm(lock: dict[str, Any]) -> dict[str, Any]:
    (package,) = [p for p in lock["package"] if p["name"] == "sqm"]
    return package


def _key(name: str, specifier: str, extras: list[str], marker: str) -> tuple[str, ...]:
    requirement = Requirement(f"{name}{specifier}")
    return (canonicalize_name(name), str(requirement.specifier), ",".join(sorted(extras)), marker)


def test_the_lock_was_made_from_the_dependencies_in_pyproject() -> None:
    project = _project()
    wanted = set()
    for extra, requirements in [("", project["dependencies"])] + [
        (name, project["optional-dependencies"][name]) for name in EXTRAS
    ]:
        for line in requirements:
            requirement = Requirement(line)
            marker = f"extra == '{extra}'" if extra else ""
            wanted.add(
                _key(requirement.name, str(requirement.specifier), [*requirement.extras], marker)
            )
    locked = {
        _key(r["name"], r.get("specifier", ""), r.get("extras", []), r.get("marker", ""))
        for r in _sqm(_lock())["metadata"]["requires-dist"]
    }
    assert locked == wanted, "uv.lock is out of date with pyproject.toml: run `make lock`"


@pytest.mark.parametrize("extra", ["app", *EXTRAS])
def test_the_pip_fallback_pins_exactly_the_locked_versions(extra: str) -> None:
    locked = {(p["name"], p["version"]) for p in _lock()["package"] if "version" in p}
    lines = (ROOT / "requirements" / f"{extra}.txt").read_text(encoding="utf-8").splitlines()
    pins = [line.split(";")[0].strip() for line in lines if line and line[0].isalnum()]
    assert pins, f"requirements/{extra}.txt pins nothing"
    for pin in pins:
        name, _, version = pin.partition("==")
        assert (canonicalize_name(name), version) in locked, f"{pin} is not the locked version"
    names = {canonicalize_name(pin.partition("==")[0]) for pin in pins}
    direct = _project()["dependencies"] + _project()["optional-dependencies"].get(extra, [])
    assert {canonicalize_name(Requirement(r).name) for r in direct} <= names


def test_pyspark_is_installed_by_the_spark_extra_only() -> None:
    extras = _sqm(_lock())["optional-dependencies"]
    assert "pyspark" in {d["name"] for d in extras["spark"]}
    assert "pyspark" not in {d["name"] for d in extras["test"]}
    assert "pyspark" not in {d["name"] for d in _sqm(_lock())["dependencies"]}
