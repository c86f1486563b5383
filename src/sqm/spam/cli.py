"""`sqm spam train | evaluate | score | flag | labels`."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from sqm.bootstrap import DataDirOption, setup

DataFiles = Annotated[
    list[Path],
    typer.Option("--data", help="label<TAB>text file (labels 1/0 or spam/ham); repeatable"),
]
ModelOption = Annotated[Path, typer.Option("--model", help="A model file from `sqm spam train`")]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _progress() -> Progress:
    errors = Console(stderr=True)
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=not errors.is_terminal,
    )


def train(
    data: DataFiles,
    model_out: Annotated[Path, typer.Option("--model-out", help="Where to write the model")],
    from_reviews: Annotated[
        bool, typer.Option("--from-reviews", help="Add the reviewers' decided cases as data")
    ] = False,
    register: Annotated[
        bool, typer.Option("--register", help="Record the model and make it the active one")
    ] = False,
    target_precision: Annotated[
        float, typer.Option("--target-precision", min=0.5, max=1.0, help="Operating precision")
    ] = 0.95,
    folds: Annotated[int, typer.Option("--folds", min=2, max=20)] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metadata as JSON")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Train the message classifier; cross-validation chooses its operating threshold."""
    from sqm.spam.core.data import DataError, read_labelled
    from sqm.spam.core.model import ModelError
    from sqm.spam.core.model import train as train_model

    try:
        parts = [read_labelled(path) for path in data]
    except (DataError, OSError) as error:
        _fail(str(error))
    if from_reviews or register:
        setup(data_dir)
    if from_reviews:
        from sqm.spam.learning import reviewed_examples

        reviewed = reviewed_examples()
        typer.echo(f"reviewed cases give {len(reviewed)} messages ({reviewed.spam} spam)", err=True)
        if len(reviewed):
            parts.append(reviewed)
    with _progress() as bar:
        task = bar.add_task("training", total=None)
        try:
            model = train_model(
                parts,
                target_precision=target_precision,
                folds=folds,
                progress=lambda stage: bar.update(task, description=f"training: {stage}"),
            )
        except ModelError as error:
            _fail(str(error))
    model.save(model_out)
    if register:
        from sqm.spam.registry import register as register_model

        register_model(model)
    if as_json:
        typer.echo(json.dumps(model.meta, ensure_ascii=False, indent=2))
        return
    cv = model.meta["cv"]["at_threshold"]
    typer.echo(
        f"model {model.version}: {model.meta['data']['rows']} rows, threshold "
        f"{model.threshold:.3f}; cross-validated precision {cv['precision']:.3f}, recall "
        f"{cv['recall']:.3f}, f1 {cv['f1']:.3f} → {model_out}"
    )


def evaluate(
    model: ModelOption,
    data: Annotated[Path, typer.Option("--data", help="label<TAB>text file")],
    threshold: Annotated[
        float | None, typer.Option("--threshold", help="Instead of the model's own")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
) -> None:
    """Precision, recall, F1 and accuracy of a model on a labelled file."""
    from sqm.spam.core.data import DataError, read_labelled
    from sqm.spam.core.model import ModelError, SpamModel
    from sqm.spam.core.model import evaluate as evaluate_model

    try:
        loaded = SpamModel.load(model)
        labelled = read_labelled(data)
    except (ModelError, DataError, OSError) as error:
        _fail(str(error))
    result = evaluate_model(loaded, labelled, threshold)
    chosen = loaded.threshold if threshold is None else threshold
    out = {**result.as_dict(), "threshold": chosen, "model_version": loaded.version}
    if as_json:
        typer.echo(json.dumps(out, indent=2))
        return
    for key in ("precision", "recall", "f1", "accuracy"):
        value = out[key]
        typer.echo(f"{key:<10} {'—' if value is None else f'{value:.4f}'}")
    typer.echo(f"{'n':<10} {out['n']}")


def score(
    model: ModelOption,
    data: Annotated[Path, typer.Option("--data", help="label<TAB>text file, or one text a line")],
    tsv: Annotated[
        bool, typer.Option("--tsv", help="probability<TAB>flagged<TAB>text instead")
    ] = False,
) -> None:
    """One spam probability per line of the file, in order."""
    from sqm.spam.core.data import DataError, read_texts
    from sqm.spam.core.model import ModelError, SpamModel

    try:
        loaded = SpamModel.load(model)
        texts = read_texts(data)
    except (ModelError, DataError, OSError) as error:
        _fail(str(error))
    probabilities = loaded.probabilities(texts)
    out = sys.stdout
    if tsv:
        for p, text in zip(probabilities.tolist(), texts, strict=True):
            out.write(f"{p:.6f}\t{int(p >= loaded.threshold)}\t{text}\n")
    else:
        out.write("".join(f"{p:.6f}\n" for p in probabilities.tolist()))


def _day(value: str | None, option: str) -> datetime | None:
    if value is None:
        return None
    from django.utils import timezone

    try:
        return timezone.make_aware(datetime.combine(date.fromisoformat(value), time()))
    except ValueError:
        _fail(f"{option} takes a date YYYY-MM-DD, got {value!r}")


def flag(
    model: Annotated[
        Path | None, typer.Option("--model", help="Register this model file and use it")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="First day (YYYY-MM-DD)")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Day after the last")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Score the stored spam reports and gateway samples by sender; open a case per flagged
    sender. Nothing is suspended: every case waits for a reviewer."""
    directory = setup(data_dir)
    from sqm.events.core.store import EventStore
    from sqm.org.reference import ensure_reference_loaded
    from sqm.spam import registry
    from sqm.spam.core.model import ModelError
    from sqm.spam.flagging import flag as flag_senders

    ensure_reference_loaded()
    try:
        chosen = registry.import_file(model) if model else registry.active()
    except ModelError as error:
        _fail(str(error))
    if chosen is None:
        _fail("no model registered: train one with `sqm spam train ... --register` or pass --model")
    version, loaded = chosen
    with _progress() as bar:
        bar.add_task("scoring senders", total=None)
        run = flag_senders(
            EventStore(directory), version, loaded, _day(since, "--since"), _day(until, "--until")
        )
    result = run.result
    typer.echo(
        f"model {version.version}: {run.rows:,} messages from {run.senders:,} senders; "
        f"opened {len(result.opened)} cases, {result.already_active} already open or suspended, "
        f"{result.not_new} without new messages since a rejection, "
        f"{result.below_threshold:,} below the risk threshold"
    )


def labels(
    out: Annotated[Path, typer.Option("--out", help="Where to write label<TAB>text")],
    data_dir: DataDirOption = None,
) -> None:
    """Write the messages of decided cases, labelled by the reviewers' outcome."""
    setup(data_dir)
    from sqm.spam.learning import reviewed_examples

    examples = reviewed_examples()
    with open(out, "w", encoding="utf-8") as handle:
        for label, text in zip(examples.labels.tolist(), examples.texts, strict=True):
            handle.write(f"{label}\t{' '.join(text.split())}\n")
    typer.echo(f"{len(examples)} messages ({examples.spam} spam) → {out}")


def register(app: typer.Typer) -> None:
    spam = typer.Typer(help="Spam SMS: model, flagging, reviewed data.", no_args_is_help=True)
    spam.command("train")(train)
    spam.command("evaluate")(evaluate)
    spam.command("score")(score)
    spam.command("flag")(flag)
    spam.command("labels")(labels)
    app.add_typer(spam, name="spam")
