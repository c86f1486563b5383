"""Progress reporting for long generation runs: a plain callback, or a Rich progress bar."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class ProgressEvent:
    source: str
    day: date
    rows: int
    step: int  # 1-based
    total_steps: int


ProgressCallback = Callable[[ProgressEvent], None]


@contextlib.contextmanager
def rich_progress(description: str) -> Iterator[ProgressCallback]:
    """A Rich bar over (source, day) steps; silent when the console is not a terminal."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    console = Console(stderr=True)
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=False,
    ) as bar:
        task = bar.add_task(description, total=None, detail="")
        rows = 0

        def callback(event: ProgressEvent) -> None:
            nonlocal rows
            rows += event.rows
            bar.update(
                task,
                total=event.total_steps,
                completed=event.step,
                detail=f"{event.day} {event.source:<12} {rows:>13,} rows",
            )

        yield callback
