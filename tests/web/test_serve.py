"""`sqm serve` starts a real server that serves pages, static files and Plotly with no network."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _get(url: str) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SQM_DATA_DIR"}}
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from sqm.cli import main; main()",
            "serve",
            "--port",
            str(port),
            "--data-dir",
            str(tmp_path),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/login/")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"sqm serve did not come up:\n{output}")
            time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sqm_serve_serves_pages_static_files_and_plotly(server: str, tmp_path: Path) -> None:
    status, headers, body = _get(f"{server}/login/")
    assert status == 200 and "登录" in body.decode()
    assert headers["Server"] == "sqm"

    status, headers, _ = _get(f"{server}/")
    assert status == 302 and headers["Location"].startswith("/login/")

    status, headers, body = _get(f"{server}/static/web/sqm.css")
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert b"--brand" in body

    status, headers, body = _get(f"{server}/static/django_htmx/htmx-2.min.js")
    assert status == 200 and b"htmx" in body

    status, headers, _ = _get(f"{server}/assets/plotly-{version('plotly')}.min.js")
    assert status == 200 and "immutable" in headers["Cache-Control"]

    # setup() ran: migrations created the database in the chosen data dir.
    assert (tmp_path / "sqm.sqlite3").exists()
