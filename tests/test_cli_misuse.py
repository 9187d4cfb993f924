"""Command-line misuse: a clear message and exit code 2 before anything runs or is written.

The cases come from the misuse list of the input-safety review: negative seeds, swept values
the scenario rejects, unreachable or malformed Dask addresses, and user text that would
otherwise reach the terminal as Rich markup, control characters or megabytes.
"""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.cli._console import shown

MINIMAL = Path(__file__).parent / "data" / "scenarios" / "minimal.yaml"
ENV = {"COLUMNS": "300"}


def invoke(*args: str):
    return CliRunner().invoke(app, list(args), env=ENV)


def test_run_rejects_a_negative_seed_before_simulating(tmp_path):
    out = tmp_path / "out"
    result = invoke("run", str(MINIMAL), "--seed", "-1", "--out", str(out))
    assert result.exit_code == 2
    assert "--seed" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("sweep", "field"),
    [
        ("time_step_s=1,-1", "time_step_s"),
        ("duration_min=2,abc", "duration_min"),
        ("catalog.f35a.rcs_scale=1,-1", "f35a"),
    ],
)
def test_mc_checks_every_sweep_value_before_the_first_replication(tmp_path, sweep, field):
    out = tmp_path / "campaign"
    result = invoke("mc", str(MINIMAL), "--runs", "1", "--sweep", sweep, "--out", str(out))
    assert result.exit_code == 2, result.output
    assert "sweep point" in result.output
    assert field in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends


@pytest.mark.parametrize(
    ("address", "cause"),
    [
        ("tcp://127.0.0.1:{port}", "Connection refused"),
        ("garbage", "not a Dask scheduler address"),
        ("tcp://host.invalid:8786", "cannot reach the Dask scheduler"),
    ],
)
def test_a_bad_dask_address_fails_fast_with_its_cause_and_leaves_nothing(tmp_path, address, cause):
    out = tmp_path / "campaign"
    result = invoke(
        "mc", str(MINIMAL), "--runs", "1", "--out", str(out),
        "--scheduler", address.format(port=_closed_port()),
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert cause in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    # "Connection refused" comes from the direct probe; waiting for Dask's own connect
    # timeout would say "Timed out" after 30 s instead.


def printed(markup: str) -> str:
    console = Console(file=io.StringIO(), width=300, color_system=None)
    console.print(markup, highlight=False)
    return console.file.getvalue().rstrip("\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[/]x", "[/]x"),  # a closing tag with nothing open: MarkupError if parsed
        ("[bold]x[/bold]", "[bold]x[/bold]"),
        ("a\x1b[2Jb", r"a\x1b[2Jb"),  # an escape sequence would clear the screen
        ("bad\udcffname", r"bad\udcffname"),  # a lone surrogate cannot be encoded
    ],
)
def test_user_text_is_printed_verbatim_and_visible(text, expected):
    assert printed(shown(text)) == expected


def test_shown_truncates_long_text_and_says_how_much_was_cut():
    text = shown("x" * 1_000_000)
    assert len(text) < 300
    assert "999800 more characters" in text


def test_half_a_megabyte_of_user_text_in_an_error_prints_bounded(tmp_path):
    path = tmp_path / "long.yaml"
    path.write_text(
        MINIMAL.read_text("utf-8").replace("side: red\n", f"side: '{'r' * 500_000}'\n", 1),
        encoding="utf-8",
    )
    result = invoke("validate", str(path))
    assert result.exit_code == 2
    assert "more characters" in result.output
    assert len(result.output) < 10_000


@pytest.mark.parametrize(
    ("value", "problem"),
    [("!!python/name:os.system", "tags"), ("9" * 100, "more than 64 characters")],
)
def test_sweep_values_are_read_with_the_scenario_reader_and_its_limits(tmp_path, value, problem):
    out = tmp_path / "campaign"
    result = invoke(
        "mc", str(MINIMAL), "--runs", "1", "--sweep", f"seed={value}", "--out", str(out)
    )
    assert result.exit_code == 2, result.output
    assert problem in result.output
    assert not out.exists()
