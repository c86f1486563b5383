"""`sqm plan erlang`, registered on a fresh Typer app as the lead will register it."""

from __future__ import annotations

import json
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from sqm.planning import cli

BASE = "plan erlang --calls 1000 --interval-minutes 60 --aht-seconds 120 --service-level 0.8"


def _app() -> typer.Typer:
    app = typer.Typer()
    cli.register(app)

    @app.command()
    def version() -> None:  # a second command, so `plan` stays a sub-command
        """Unused."""

    return app


def _run(args: str) -> tuple[int, str]:
    result = CliRunner().invoke(_app(), args.split())
    return result.exit_code, result.output


def _json(args: str) -> dict[str, Any]:
    code, output = _run(args + " --json")
    assert code == 0, output
    payload: dict[str, Any] = json.loads(output)
    return payload


def test_erlang_c_reproduces_the_published_example_with_shrinkage() -> None:
    # call-center-tools README (PyPI): 40 agents, 58 with 30% shrinkage, SL 93.72%, ASA 3.43 s.
    out = _json(f"{BASE} --model c --target-seconds 20 --shrinkage 0.3 --max-occupancy 0.85")
    assert (out["raw_agents"], out["agents"]) == (40, 58)
    assert out["service_level"] == pytest.approx(0.9372, abs=5e-5)
    assert out["asa_seconds"] == pytest.approx(3.43, abs=5e-3)
    assert out["wait_probability"] == pytest.approx(0.1907, abs=5e-5)
    assert out["occupancy"] == pytest.approx(0.8333, abs=5e-5)
    assert out["meets_target"] is True
    assert "abandon_rate" not in out and "blocking" not in out


def test_erlang_a_reports_abandonment_and_needs_fewer_agents() -> None:
    a = _json(f"{BASE} --model a --target-seconds 20 --patience-seconds 60")
    c = _json(f"{BASE} --model c --target-seconds 20")
    assert a["raw_agents"] < c["raw_agents"]
    assert 0 < a["abandon_rate"] < 0.2 and a["service_level"] >= 0.8


def test_erlang_b_reports_blocking() -> None:
    out = _json(
        "plan erlang --model b --calls 37.5 --interval-minutes 30 --aht-seconds 240 "
        "--service-level 0.99 --agents 10"
    )
    assert out["blocking"] == pytest.approx(0.018385, abs=1e-6)
    assert out["meets_target"] is False


def test_given_agents_the_measures_of_that_team_are_shown() -> None:
    out = _json(f"{BASE} --model c --target-seconds 20 --agents 30 --shrinkage 0.25")
    assert (out["raw_agents"], out["agents"]) == (30, 40)
    assert out["asa_seconds"] is None and out["meets_target"] is False  # unstable: A = 33.3
    code, text = _run(f"{BASE} --model c --target-seconds 20 --agents 45")
    assert code == 0 and "45 agents on the phones" in text and "service level" in text


def test_a_percentage_is_read_as_a_share() -> None:
    assert (
        _json(f"{BASE} --model c --target-seconds 20")["raw_agents"]
        == _json(f"{BASE.replace('0.8', '80')} --model c --target-seconds 20")["raw_agents"]
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (f"{BASE} --model x --target-seconds 20", "--model"),
        (f"{BASE} --model a --target-seconds 20", "--patience-seconds"),
        (f"{BASE} --model c", "--target-seconds"),
        (f"{BASE} --model c --target-seconds 20 --shrinkage 1", "--shrinkage"),
        (f"{BASE} --model c --target-seconds 20 --max-occupancy 0", "--max-occupancy"),
        (f"{BASE} --model c --target-seconds 20 --agents -3", "--agents"),
        (f"{BASE} --model c --target-seconds 20 --calls -1", "calls"),
        (
            "plan erlang --model c --calls 10 --interval-minutes 0 --aht-seconds 120 "
            "--service-level 0.8 --target-seconds 20",
            "interval",
        ),
    ],
)
def test_bad_input_gives_a_one_line_error_and_exit_code_2(args: str, message: str) -> None:
    code, output = _run(args)
    assert code == 2
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
