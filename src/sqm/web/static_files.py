"""Static files a browser may keep for a year, with no collectstatic step.

WhiteNoise serves the apps' static folders straight from the source (``WHITENOISE_USE_FINDERS``);
Django's manifest storage would give immutable names but needs ``collectstatic`` before every
start. Here each URL carries a hash of its file's content instead (``web/sqm.css?v=3f2a…``):
``WHITENOISE_MAX_AGE`` can then be a year, and a changed file has a new URL the moment the
server serves it. The hash is read once per file version (its path, size and modification
time), so an edited stylesheet in development gets its new URL on the next page.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage


class VersionedStaticFilesStorage(StaticFilesStorage):
    def url(self, name: str | None) -> str:
        url = super().url(name)
        version = content_version(name) if name else ""
        return f"{url}?v={version}" if version else url


def content_version(name: str) -> str:
    """The first 12 hex digits of the SHA-256 of the static file ``name``; "" if none."""
    found = finders.find(name)
    if not isinstance(found, str):
        return ""
    path = Path(found)
    try:
        stat = path.stat()
    except OSError:
        return ""
    return _digest(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=1024)
def _digest(path: str, size: int, modified: int) -> str:
    # size and modified are part of the cache key only: a changed file is hashed again.
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
