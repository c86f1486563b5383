"""Trained models known to the database: registering a model file, the active version."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction

from sqm.spam.core.model import ModelError, SpamModel
from sqm.spam.models import ModelVersion

_LOADED: dict[str, SpamModel] = {}


def models_dir() -> Path:
    return Path(settings.DATA_DIR) / "spam" / "models"


@transaction.atomic
def register(model: SpamModel, *, activate: bool = True) -> ModelVersion:
    """Keep a copy of the model in the data dir and record it; the same version twice is one
    row. With ``activate`` it becomes the model that flags senders."""
    if not model.version:
        raise ModelError("the model has no version")
    path = models_dir() / f"{model.version}.npz"
    if not path.exists():
        model.save(path)
    row, _ = ModelVersion.objects.get_or_create(
        version=model.version,
        defaults={
            "path": str(path),
            "trained_at": datetime.fromisoformat(model.meta["trained_at"]),
            "threshold": model.threshold,
            "params": model.meta.get("params", {}),
            "data": model.meta.get("data", {}),
            "metrics": model.meta.get("cv", {}),
        },
    )
    if activate and not row.active:
        ModelVersion.objects.filter(active=True).update(active=False)
        row.active = True
        row.save(update_fields=["active"])
    return row


def load(row: ModelVersion) -> SpamModel:
    """The model of a registered version (read once per process)."""
    if row.version not in _LOADED:
        model = SpamModel.load(row.path)
        if model.version != row.version:
            raise ModelError(f"{row.path} holds version {model.version}, not {row.version}")
        _LOADED[row.version] = model
    return _LOADED[row.version]


def active() -> tuple[ModelVersion, SpamModel] | None:
    row = ModelVersion.objects.filter(active=True).first()
    return None if row is None else (row, load(row))


def import_file(path: Path | str) -> tuple[ModelVersion, SpamModel]:
    """Register (and activate) a model file given on the command line."""
    model = SpamModel.load(path)
    return register(model), model
