"""`sqm serve`: the web UI and API on a real WSGI server that needs nothing beside it.

Waitress (pure Python, no C build, serves fine on one machine with no internet) runs Django;
WhiteNoise, a middleware in the settings, serves the static files from the same process.
"""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from sqm.bootstrap import DataDirOption, setup

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEFAULT_THREADS = 8  # requests wait on SQLite and Parquet I/O more than on the 2 cores


def serve(host: str = "127.0.0.1", port: int = 8000, *, threads: int = DEFAULT_THREADS) -> None:
    """Serve SQM until interrupted. Django must be set up (``sqm.bootstrap.setup``) first.

    Also called by ``sqm demo`` once its data is in place.
    """
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from waitress import serve as waitress_serve

    # Before the WSGI app loads its middleware: WhiteNoise warns about a missing STATIC_ROOT
    # even though it serves from the apps' folders.
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    # Django's own factory, not sqm.config.wsgi: no app imports the composition root.
    application = get_wsgi_application()

    if host not in LOOPBACK and host not in settings.ALLOWED_HOSTS:
        typer.echo(
            f"note: requests must name a host in SQM_ALLOWED_HOSTS (now {settings.ALLOWED_HOSTS});"
            " set it to the name or address users will type.",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"SQM serving on http://{shown}:{port}/  (Ctrl+C stops)")
    # Waitress logs each queue warning at WARNING; its start-up banner at INFO is enough.
    logging.getLogger("waitress").setLevel(logging.INFO)
    waitress_serve(application, host=host, port=port, threads=threads, ident="sqm")


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    threads: Annotated[
        int, typer.Option("--threads", help="Worker threads.", min=1, max=64)
    ] = DEFAULT_THREADS,
    data_dir: DataDirOption = None,
) -> None:
    """Serve the web UI and the API (http://127.0.0.1:8000/ by default)."""
    setup(data_dir)
    serve(host, port, threads=threads)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
