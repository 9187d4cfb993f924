"""Write every figure and output quoted in the README and ``docs/`` from the runs that give it.

A quoted figure or output sits between two HTML comments (invisible when the page is
rendered)::

    (<!-- docs: aircraft turkey-s400-ankara -->63<!-- /docs --> aircraft and missiles)

    <!-- docs: run-table turkey-s400-ankara turkey-s400-ankara -->
    ```
    ...the table as `iadsim run` prints it...
    ```
    <!-- /docs -->

The opening comment names a generator and its arguments (see :data:`GENERATORS`); this
script runs what it needs (each bundled scenario once, through the command line as a user
would) and writes the result between the comments. ``--check`` writes nothing and exits 1,
naming each stale quote, if any page differs; the test suite runs it
(``tests/test_docs_current.py``), so a change that moves a quoted figure fails until this
script is run and the new figures are committed.

Run::

    .venv/bin/python scripts/update_docs.py           # rewrite the pages
    .venv/bin/python scripts/update_docs.py --check   # exit 1 if any quote is stale
"""

from __future__ import annotations

import argparse
import atexit
import importlib.util
import json
import re
import shlex
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from typer.testing import CliRunner

from iadsim.cli import app

ROOT = Path(__file__).resolve().parents[1]
PAGES = (ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md")))
QUOTE = re.compile(r"<!-- docs: (?P<spec>[^>]*?) -->(?P<body>.*?)<!-- /docs -->", re.DOTALL)
WIDTH = 130
"""Terminal width the quoted command output is printed at."""

_SCRATCH = Path(tempfile.mkdtemp(prefix="iadsim-docs-"))
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)


@cache
def command_output(*args: str) -> str:
    """What ``iadsim ARGS`` prints at :data:`WIDTH` columns, without colour, run from the root.

    Raises
    ------
    RuntimeError
        If the command exits with an error: a quoted command must work.
    """
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": str(WIDTH), "NO_COLOR": "1"})
    if result.exit_code != 0:
        msg = f"iadsim {' '.join(args)} exited {result.exit_code}:\n{result.output}"
        raise RuntimeError(msg)
    return result.output


def run_folder(scenario: str) -> Path:
    """The run folder of a bundled scenario (run once per process, default seed)."""
    out = _SCRATCH / scenario
    run_output(scenario)
    return out


def run_output(scenario: str) -> str:
    """What ``iadsim run scenarios/SCENARIO.yaml`` prints."""
    path = ROOT / "scenarios" / f"{scenario}.yaml"
    return command_output("run", str(path), "--out", str(_SCRATCH / scenario))


def run_table(scenario: str, title: str) -> str:
    """The table titled ``title`` (its first words) of ``iadsim run SCENARIO``, fenced."""
    lines = run_output(scenario).splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith(title)), None)
    if start is None:
        raise RuntimeError(f"iadsim run {scenario} prints no table titled {title!r}")
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("└"))
    return _fenced(lines[start : end + 1])


def summary_value(scenario: str, path: str, spec: str = "") -> str:
    """One value of a run's ``summary.json`` by dotted path, formatted with ``spec``."""
    node = json.loads((run_folder(scenario) / "summary.json").read_text("utf-8"))
    for part in path.split("."):
        node = node[int(part)] if isinstance(node, list) else node[part]
    return format(node, spec)


def aircraft_count(scenario: str) -> str:
    """Aircraft and missiles in a bundled scenario (the sum of its air tracks' ``count``)."""
    from iadsim.scenario.loader import load_scenario

    loaded, _ = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    return str(sum(track.count for track in loaded.air_tracks))


VARIANTS = (("free", False), ("free", True), ("tight", False), ("tight", True))
"""Weapon control status of the first fire unit, and whether the ``nato`` side's jets
squawk Mode 3/C as well as Mode 5, of :func:`fratricide_variants`."""


def variant_folder(scenario: str, weapon_control: str, mode3c: bool) -> Path:
    """The run folder of a bundled scenario edited as a user would: its first fire unit's
    ``weapon_control`` set, and ``mode3c`` added to the ``nato`` side's IFF modes or not."""
    import yaml

    document = yaml.safe_load((ROOT / "scenarios" / f"{scenario}.yaml").read_text("utf-8"))
    document["fire_units"][0]["weapon_control"] = weapon_control
    document["sides"]["nato"]["iff_modes"] = ["mode5", "mode3c"] if mode3c else ["mode5"]
    name = f"{scenario}-{weapon_control}-{'mode3c' if mode3c else 'mode5'}"
    path = _SCRATCH / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), "utf-8")
    command_output("run", str(path), "--out", str(_SCRATCH / name), "--no-map", "--no-looks")
    return _SCRATCH / name


def fratricide_variants(scenario: str) -> str:
    """A Markdown table: the allied aircraft the first fire unit held suspect or hostile,
    declared hostile, engaged and shot down, and the threats killed, for each of
    :data:`VARIANTS` at the scenario's own seed."""
    import pyarrow.parquet as pq

    rows = [
        "| weapon control | NATO jets answer | allied held suspect | allied declared hostile "
        "| allied engaged | allied shot down | threats killed |",
        "|---|---|---|---|---|---|---|",
    ]
    for weapon_control, mode3c in VARIANTS:
        folder = variant_folder(scenario, weapon_control, mode3c)
        summary = json.loads((folder / "summary.json").read_text("utf-8"))
        unit = aircraft_unit(scenario)
        allied = {name for name, side in _sides(folder).items() if side not in ("red", "civil")}
        held = set(summary["friends_held_suspect_or_hostile"].get(unit, [])) & allied
        hostile = {
            r["truth"]
            for r in pq.read_table(folder / "events.parquet").to_pylist()
            if r["kind"] == "identity"
            and r["unit"] == unit
            and r["truth"] in allied
            and json.loads(r["detail"])["new"] == "hostile"
        }
        totals = summary["totals"]
        rows.append(
            f"| {weapon_control} | {'Mode 5 + Mode 3/C' if mode3c else 'Mode 5 only'} "
            f"| {len(held)} | {len(hostile)} | {totals['allied_engaged']} "
            f"| {totals['friendly_lost_to_own_fire']} "
            f"| {totals['threats_killed']} of {totals['threats_launched']} |"
        )
    return "\n" + "\n".join(rows) + "\n"


def aircraft_unit(scenario: str) -> str:
    """Name of a bundled scenario's first fire unit."""
    from iadsim.scenario.loader import load_scenario

    loaded, _ = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    return loaded.fire_units[0].name


def _sides(folder: Path) -> dict[str, str]:
    """Side of every air entity of a run (from the truth rows of its tracks.parquet)."""
    import pyarrow.parquet as pq

    tracks = pq.read_table(folder / "tracks.parquet", columns=["source", "truth", "side"])
    data = tracks.to_pydict()
    return {
        truth: side
        for source, truth, side in zip(data["source"], data["truth"], data["side"], strict=True)
        if source == "truth"
    }


def study_table(study: str, question: str, replications: str) -> str:
    """The headline table of one question of a bundled study (mean and 95 % interval per
    variant), as ``iadsim study studies/STUDY.yaml --question QUESTION --replications N``
    writes it in its ``summary.md``."""
    from iadsim.studies.analysis import analyse_study
    from iadsim.studies.outputs import headline_markdown

    out = _SCRATCH / f"study-{study}-{question}-{replications}"
    path = ROOT / "studies" / f"{study}.yaml"
    command_output(
        "study",
        str(path),
        "--question",
        question,
        "--replications",
        replications,
        "--out",
        str(out),
    )
    return "\n" + headline_markdown(analyse_study(out), question) + "\n"


@cache
def _sanity_band_rows(replications: str) -> tuple:
    """The per-variant shares of the Ukraine sanity band (:mod:`iadsim.studies.sanity_band`)
    from ``iadsim study studies/ukraine-band/study.yaml --replications N``."""
    from iadsim.studies.sanity_band import band_rows, launched_count
    from iadsim.studies.schema import load_study

    path = ROOT / "studies" / "ukraine-band" / "study.yaml"
    out = _SCRATCH / f"ukraine-band-{replications}"
    command_output("study", str(path), "--replications", replications, "--out", str(out))
    loaded = load_study(path)
    launched = launched_count(loaded.scenario_doc, "shahed136")
    return tuple(band_rows(out, loaded.study.questions[0].name, launched))


def sanity_band(replications: str) -> str:
    """The simulated table of ``docs/validation/ukraine-band.md``."""
    from iadsim.studies.sanity_band import band_markdown

    return "\n" + band_markdown(list(_sanity_band_rows(replications)))


def sanity_band_share(variant: str, replications: str) -> str:
    """One variant's share destroyed with its 95 % interval, as the page's prose quotes it."""
    (row,) = [r for r in _sanity_band_rows(replications) if r.variant == variant]
    low, mid, high = (100.0 * s for s in (row.destroyed_low, row.destroyed, row.destroyed_high))
    return f"**{mid:.1f} %** ({low:.1f} % to {high:.1f} %)"


def miss_table(*seeds: str) -> str:
    """The homing miss distances of the bundled scenarios at ``seeds`` beside the adjoint
    budget's, as ``scripts/miss_table.py OUT SEEDS`` prints them (Markdown)."""
    spec = importlib.util.spec_from_file_location("miss_table", ROOT / "scripts/miss_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    folders = module.run_all(_SCRATCH / "miss-table", [int(seed) for seed in seeds])
    return "\n" + "\n".join(module.markdown(module.table(folders))) + "\n"


def command(*args: str) -> str:
    """``$ iadsim ARGS`` and what it prints, fenced."""
    output = command_output(*args).rstrip("\n").splitlines()
    return _fenced([f"$ iadsim {shlex.join(args)}", *output])


def _fenced(lines: list[str]) -> str:
    body = "\n".join(line.rstrip() for line in lines)
    return f"\n```\n{body}\n```\n"


GENERATORS: dict[str, Callable[..., str]] = {
    "run-table": run_table,
    "summary": summary_value,
    "aircraft": aircraft_count,
    "command": command,
    "fratricide-variants": fratricide_variants,
    "study-table": study_table,
    "sanity-band": sanity_band,
    "sanity-band-share": sanity_band_share,
    "miss-table": miss_table,
}
"""``<!-- docs: NAME ARGS... -->``: what each NAME writes, given its (shell-quoted) ARGS."""


def render(text: str) -> str:
    """``text`` with every quote regenerated."""

    def replace(match: re.Match[str]) -> str:
        name, *args = shlex.split(match["spec"])
        try:
            generator = GENERATORS[name]
        except KeyError:
            raise RuntimeError(f"unknown docs generator {name!r}") from None
        return f"<!-- docs: {match['spec']} -->{generator(*args)}<!-- /docs -->"

    return QUOTE.sub(replace, text)


def stale_quotes(page: Path) -> list[str]:
    """The specs of the quotes of ``page`` whose text differs from what they generate."""
    text = page.read_text("utf-8")
    fresh = render(text)
    if fresh == text:
        return []
    old = {m["spec"]: m["body"] for m in QUOTE.finditer(text)}
    return [m["spec"] for m in QUOTE.finditer(fresh) if old.get(m["spec"]) != m["body"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="report stale quotes, write nothing")
    check = parser.parse_args(argv).check
    stale = 0
    for page in PAGES:
        if check:
            for spec in stale_quotes(page):
                print(f"{page.relative_to(ROOT)}: stale: {spec}")
                stale += 1
        else:
            text = page.read_text("utf-8")
            fresh = render(text)
            if fresh != text:
                page.write_text(fresh, "utf-8")
                print(f"updated {page.relative_to(ROOT)}")
    if stale:
        print(f"{stale} stale quote(s): run .venv/bin/python scripts/update_docs.py")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
