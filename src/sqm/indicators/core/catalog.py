"""Loading the indicator catalog: YAML → strict spec → validation against the semantic models."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

from sqm.indicators.core.semantic_sources import SEMANTIC_MODELS
from sqm.indicators.core.spec import Catalog
from sqm.indicators.core.validation import check

CATALOG_PATH = Path(__file__).resolve().parents[1] / "catalog.yaml"


def parse_catalog(document: Any) -> Catalog:
    """A catalog from parsed YAML (a list of indicator mappings), validated in full."""
    catalog = Catalog.model_validate({"indicators": document})
    return check(catalog, SEMANTIC_MODELS)


def load_catalog_file(path: Path) -> Catalog:
    with path.open(encoding="utf-8") as handle:
        return parse_catalog(yaml.safe_load(handle))


@functools.cache
def load_catalog() -> Catalog:
    """The packaged catalog (parsed and validated once per process)."""
    return load_catalog_file(CATALOG_PATH)
