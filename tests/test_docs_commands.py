"""Every concrete ``iadsim`` command in the README and docs/ is one the command line accepts.

A command line quoted in a fenced block (``iadsim ...``, ``.venv/bin/iadsim ...`` or
``$ iadsim ...``, continued over lines ending in ``\\``) is parsed by the real command-line
parser: its command, options and values must exist and convert. Its ``--sweep`` values
must apply to its scenario and give valid scenarios, as ``iadsim mc`` checks before the
first replication. The quick commands (``validate``, ``catalog``, ``terrain``) are run and
must exit 0. Lines with placeholders (``SCENARIO``, ``[--seed N]``) are synopses, not
commands, and are skipped.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from iadsim.campaigns.sweep import apply_point, grid_points, parse_sweep
from iadsim.cli import app
from iadsim.scenario.loader import load_document, validate_document

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
PROMPT = re.compile(r"^(?:\$ )?(?:\.venv/bin/)?iadsim (.*)$")
PLACEHOLDER = re.compile(r"\[|\.\.\.|\b[A-Z][A-Z_]*[A-Z]\b|\b[A-Z]\b")
RUN_FOR_REAL = {"validate", "catalog", "terrain"}


def documented_commands() -> list[pytest.param]:
    found = []
    for page in PAGES:
        for block in FENCE.finditer(page.read_text("utf-8")):
            text = re.sub(r"\\\n\s*", " ", block.group(1))
            for line in text.splitlines():
                match = PROMPT.match(line.strip())
                if match is None:
                    continue
                command = match.group(1).split(" #")[0].strip()
                if PLACEHOLDER.search(command):
                    continue
                name = f"{page.relative_to(ROOT)}: iadsim {command}"
                found.append(pytest.param(shlex.split(command), id=name))
    return found


def _parse(args: list[str]) -> tuple[str, dict]:
    """The subcommand's path and its parsed parameters; a usage error if the line is wrong."""
    command = typer.main.get_command(app)
    context = command.make_context("iadsim", list(args))
    names = []
    while hasattr(command, "resolve_command"):  # a group: descend into the subcommand
        rest = [*context._protected_args, *context.args]
        name, command, rest = command.resolve_command(context, rest)
        names.append(name)
        context = command.make_context(name, rest, parent=context)
    return " ".join(names), context.params


@pytest.mark.parametrize("args", documented_commands())
def test_documented_command_is_accepted(args):
    path, params = _parse(args)
    for spec in params.get("sweep") or []:
        document = load_document(ROOT / params["scenario"])
        for point in grid_points([parse_sweep(spec)]):
            validate_document(apply_point(document, point), f"sweep point {point}")
    if path.split()[0] in RUN_FOR_REAL:
        result = CliRunner().invoke(app, args, env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output


def test_the_pages_quote_commands():
    assert len(documented_commands()) >= 8


SWEEP_ROW = re.compile(r"^\| `([\w.\-/]+=[^`]+)` \|", re.MULTILINE)


@pytest.mark.parametrize(
    "spec", SWEEP_ROW.findall((ROOT / "docs" / "campaigns.md").read_text("utf-8"))
)
def test_documented_sweep_paths_apply_to_the_bundled_scenario(spec):
    document = load_document(ROOT / "scenarios" / "turkey-s400-ankara.yaml")
    for point in grid_points([parse_sweep(spec)]):
        validate_document(apply_point(document, point), f"sweep point {point}")
