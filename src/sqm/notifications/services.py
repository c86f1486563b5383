"""The notifications app's service API: the only way pages, the CLI and other apps read and
change its records."""

from __future__ import annotations
