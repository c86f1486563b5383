"""A PLS path model declared in a file: measurement blocks, structural paths, block modes.

The YAML shape is the one `sqm voc pls --model` reads::

    blocks: {Image: [IMAG1, IMAG2], Satisfaction: [CUSA1, CUSA2]}
    paths: [[Image, Satisfaction]]
    modes: {Image: A}          # optional; A (reflective) unless said otherwise
    scale: [1, 10]             # optional; the answer scale, needed for 0-100 indices
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

Mode = Literal["A", "B"]


class ModelError(ValueError):
    """The model file is not a valid PLS path model; the message says what to fix."""


@dataclass(frozen=True)
class PathModel:
    blocks: dict[str, list[str]]
    paths: list[tuple[str, str]]
    modes: dict[str, Mode] = field(default_factory=dict)
    # The answer scale (lowest, highest) every indicator is scored on; 0-100 indices need it.
    scale: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        if not self.blocks:
            raise ModelError("model has no blocks: declare `blocks: {CONSTRUCT: [column, ...]}`")
        seen: dict[str, str] = {}
        for construct, columns in self.blocks.items():
            if not columns:
                raise ModelError(f"block {construct!r} has no indicators")
            for column in columns:
                if column in seen:
                    raise ModelError(
                        f"indicator {column!r} is in both {seen[column]!r} and {construct!r}"
                    )
                seen[column] = construct
        for source, target in self.paths:
            for end in (source, target):
                if end not in self.blocks:
                    raise ModelError(f"path {source}->{target}: {end!r} is not a declared block")
            if source == target:
                raise ModelError(f"path {source}->{target} points at itself")
        for construct, mode in self.modes.items():
            if construct not in self.blocks:
                raise ModelError(f"mode given for undeclared block {construct!r}")
            if mode not in ("A", "B"):
                raise ModelError(f"mode of {construct!r} must be A or B, not {mode!r}")
        if self.scale is not None and not self.scale[0] < self.scale[1]:
            raise ModelError(f"scale must be [lowest, highest], got {list(self.scale)}")
        if len(set(self.paths)) != len(self.paths):
            raise ModelError("a path is declared twice")
        self.order()  # raises on a cycle

    @property
    def constructs(self) -> list[str]:
        return list(self.blocks)

    @property
    def columns(self) -> list[str]:
        return [column for columns in self.blocks.values() for column in columns]

    def mode(self, construct: str) -> Mode:
        return self.modes.get(construct, "A")

    def predecessors(self, construct: str) -> list[str]:
        return [source for source, target in self.paths if target == construct]

    def successors(self, construct: str) -> list[str]:
        return [target for source, target in self.paths if source == construct]

    @property
    def endogenous(self) -> list[str]:
        return [c for c in self.constructs if self.predecessors(c)]

    def order(self) -> list[str]:
        """Constructs in causal order (Kahn); the structural model must be recursive."""
        remaining = {c: set(self.predecessors(c)) for c in self.constructs}
        ordered: list[str] = []
        while remaining:
            ready = [c for c, before in remaining.items() if not before]
            if not ready:
                raise ModelError(f"the paths form a cycle among {sorted(remaining)}")
            for construct in ready:
                ordered.append(construct)
                del remaining[construct]
            for before in remaining.values():
                before.difference_update(ready)
        return ordered


def model_from_mapping(raw: Mapping[str, Any]) -> PathModel:
    if not isinstance(raw, Mapping) or "blocks" not in raw:
        raise ModelError("model file must be a mapping with `blocks` and `paths`")
    blocks_raw = raw["blocks"]
    if not isinstance(blocks_raw, Mapping):
        raise ModelError("`blocks` must map each construct to a list of columns")
    blocks = {str(name): [str(c) for c in cols] for name, cols in blocks_raw.items()}
    paths: list[tuple[str, str]] = []
    for entry in raw.get("paths") or []:
        if not isinstance(entry, list | tuple) or len(entry) != 2:
            raise ModelError(f"each path must be [FROM, TO], got {entry!r}")
        paths.append((str(entry[0]), str(entry[1])))
    modes_raw = raw.get("modes") or {}
    modes: dict[str, Mode] = {}
    for name, mode in modes_raw.items():
        text = str(mode).upper()
        if text not in ("A", "B"):
            raise ModelError(f"mode of {name!r} must be A or B, not {mode!r}")
        modes[str(name)] = "A" if text == "A" else "B"
    scale_raw = raw.get("scale")
    scale: tuple[float, float] | None = None
    if scale_raw is not None:
        if not isinstance(scale_raw, list | tuple) or len(scale_raw) != 2:
            raise ModelError(f"scale must be [lowest, highest], got {scale_raw!r}")
        scale = (float(scale_raw[0]), float(scale_raw[1]))
    return PathModel(blocks=blocks, paths=paths, modes=modes, scale=scale)


def load_model(path: Path) -> PathModel:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ModelError(f"{path}: not valid YAML: {error}") from error
    return model_from_mapping(raw)


MODELS_DIR = Path(__file__).resolve().parent.parent / "models"


def shipped_model(name: str) -> PathModel:
    """One of the model files shipped with SQM (`ecsi_mobi`, `sqm_factors`)."""
    return load_model(MODELS_DIR / f"{name}.yaml")
