"""Plotly's JavaScript, served from the installed ``plotly`` wheel: the product works offline.

Served by a view rather than copied into ``static/``: nothing to keep in step on upgrade, and the
URL names the installed version so browsers can keep the 4.8 MB file for a year.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib.metadata import version

PLOTLY_VERSION = version("plotly")
ONE_YEAR = 365 * 24 * 3600


@cache
def plotly_min_js() -> bytes:
    # Imported here: plotly.offline costs ~80 ms, paid by the first chart page, not at start-up.
    from plotly.offline import get_plotlyjs

    return get_plotlyjs().encode("utf-8")


@cache
def plotly_min_js_gzip() -> bytes:
    # Compressed once per process (4.8 MB → ~1.4 MB); level 6 is gzip's usual trade-off.
    return gzip.compress(plotly_min_js(), compresslevel=6, mtime=0)
