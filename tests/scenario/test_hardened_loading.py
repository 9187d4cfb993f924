"""Regression cases of the loading fuzzer: each is refused with file, line and field, exit 2.

Each case is one edit of the bundled S-400 scenario that once gave a traceback from
``iadsim validate``, hung it, or was accepted and then crashed the engine or misled the user
(``docs/scenarios.md``, "Limits"). The expected line is found in the edited bytes, not copied
from a run of the loader.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from iadsim.cli import app
from iadsim.core.errors import InputError
from iadsim.core.yaml_input import YamlLimits, parse_yaml
from iadsim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
S400 = ROOT / "scenarios" / "turkey-s400-ankara.yaml"
CORRIDOR = ROOT / "scenarios" / "turkey-s400-ankara-corridor.yaml"

BOMB = "\n".join(
    [
        "x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]",
        *(
            f"x-{b}: &{b} [{', '.join([f'*{a}'] * 9)}]"
            for a, b in zip("abcdef", "bcdefg", strict=True)
        ),
        "x-h: [*g, *g, *g, *g, *g, *g, *g, *g, *g]",
        "",
    ]
)


@dataclass(frozen=True)
class Case:
    """An edit of a bundled scenario (bytes) and what its error must name."""

    old: bytes
    new: bytes
    field_path: str
    message: str
    marker: bytes | None = None
    """Bytes on the line the error must name (default: the first line of ``new``); None for
    an error that has no line (the file as a whole)."""
    source: Path = S400
    append: bool = False
    """Add ``new`` at the end instead of replacing ``old``."""
    after: bytes = b""
    """Look for ``marker`` only below the first line holding these bytes."""


def _override(entry: str, fields: str) -> Case:
    """A ``catalog_overrides`` block added at the end of the scenario."""
    field = fields.split(":")[0]
    return Case(
        b"",
        f"catalog_overrides:\n  {entry}: {{{fields}}}\n".encode(),
        f"catalog_overrides.{entry}.{field}",
        "",
        marker=f"  {entry}:".encode(),
        append=True,
    )


CASES: dict[str, Case] = {
    # -- the file and its encoding
    "latin1_byte_in_a_comment": Case(
        b"# A notional air-defence day", b"# A notional caf\xe9 day", "", "not UTF-8"
    ),
    "utf16": Case(b"", b"", "", "UTF-16", marker=b"# A notional"),
    "random_bytes": Case(b"", b"", "", "", marker=None),
    # -- YAML structure
    "nesting_1000_deep": Case(
        b"seed: 20190712", b"seed: " + b"[" * 1000 + b"]" * 1000, "", "nest", marker=b"seed:"
    ),
    "tag_include": Case(b"seed: 20190712", b"seed: !include other.yaml", "seed", "tags"),
    "tag_python_name": Case(b"seed: 20190712", b"seed: !!python/name:os.system", "seed", "tags"),
    "merge_key": Case(
        b"  nato:   {iff_modes: [mode5]",
        b"  nato:   {<<: {hostile_to: [red]}, iff_modes: [mode5]",
        "sides.nato",
        "merge keys",
    ),
    "sequence_key": Case(
        b"seed: 20190712", b"seed: 20190712\n? [a, b]\n: 1", "", "as a key", marker=b"? [a, b]"
    ),
    "mapping_key": Case(b"seed: 20190712", b"seed: 20190712\n{a: 1}: 1", "", "as a key", b"{a: 1}"),
    "integer_of_5000_digits": Case(b"seed: 20190712", b"seed: " + b"7" * 5000, "seed", "number"),
    "lone_surrogate_in_a_name": Case(
        b"  - name: flanker", b'  - name: "fl\\udc80nker"', "", "", marker=b"fl\\udc80nker"
    ),
    "duplicate_key_last_one_won": Case(
        b"    side: turkey\n    command_post: s400/55k6e",
        b"    side: turkey\n    side: red\n    command_post: s400/55k6e",
        "fire_units[0].side",
        "duplicate key 'side'",
        marker=b"    side: red",
    ),
    "seven_level_alias_bomb": Case(
        b"seed: 20190712", f"seed: 20190712\n{BOMB}".encode(), "x-f[0]", "more than", b"x-f:"
    ),
    "impossible_date": Case(
        b"start_time: 2026-06-01T05:00:00Z",
        b"start_time: 2026-13-01T05:00:00Z",
        "start_time",
        "month",
    ),
    # -- catalog overrides that crashed the engine
    "override_rcs_scale_inf": _override("f35a", "rcs_scale: .inf"),
    "override_max_range_inf": _override("s400/92n6e", "max_range_m: .inf"),
    "override_max_range_tiny": _override("s400/92n6e", "max_range_m: 1e-9"),
    "override_min_range_above_max": _override("s400/92n6e", "min_range_m: 500000"),
    "override_min_elevation_above_max": _override("s400/92n6e", "min_elevation_deg: 80"),
    "override_beamwidth_tiny": _override("s400/92n6e", "beamwidth_deg: 1e-9"),
    "override_bool": _override("s400/5p85", "reload_time_s: true"),
    "override_unknown_field": _override("f35a", "rcs_scal: 2"),
    "override_airframe_propellant_above_mass": _override("s400/48n6e3", "propellant_mass_kg: 5000"),
    "override_airframe_flight_time_inf": _override("s400/48n6e3", "max_flight_time_s: .inf"),
    # -- accepted but wrong, or hung
    "time_step_1e-6": Case(b"time_step_s: 1.0", b"time_step_s: 1e-6", "time_step_s", ""),
    "record_interval_inf": Case(
        b"record_interval_s: 10.0", b"record_interval_s: .inf", "record_interval_s", "finite"
    ),
    "start_s_nan": Case(b"    start_s: 900", b"    start_s: .nan", "air_tracks[5].start_s", ""),
    "spacing_s_inf": Case(
        b"    spacing_s: 10\n", b"    spacing_s: .inf\n", "air_tracks[4].spacing_s", "finite"
    ),
    "corridor_altitude_nan": Case(
        b"    min_alt_m: 6000",
        b"    min_alt_m: .nan",
        "safe_corridors[0].min_alt_m",
        "finite",
        source=CORRIDOR,
    ),
    "zero_length_hostile_route": Case(
        b"      - {lat_deg: 39.83, lon_deg: 33.45, alt_m: 300, speed_kt: 97}",
        b"      - {lat_deg: 39.60, lon_deg: 34.20, alt_m: 600, speed_kt: 97}",
        "air_tracks[2].route",
        "long",
        marker=b"    route:",
        after=b"name: shahed-refinery",
    ),
    "negative_height_above_terrain": Case(
        b"      - {lat_deg: 42.60, lon_deg: 34.00, alt_m: 50, speed_kt: 530}",
        b"      - {lat_deg: 42.60, lon_deg: 34.00, alt_m: -50, speed_kt: 530}",
        "air_tracks[0].route[0].alt_m",
        "cannot be negative",
    ),
    "waypoint_underground": Case(
        b"      - {lat_deg: 38.60, lon_deg: 34.40, alt_m: 9000, speed_kt: 515}",
        b"      - {lat_deg: 38.60, lon_deg: 34.40, alt_m: 500, speed_kt: 515}",
        "air_tracks[6].route[0].alt_m",
        "758 m below the terrain",
    ),
    "leg_through_a_ridge": Case(  # both ends within 500 m of the ground, the middle not
        b"      - {lat_deg: 39.80, lon_deg: 30.50, alt_m: 10000, speed_kt: 515}\n"
        b"      - {lat_deg: 39.40, lon_deg: 32.00, alt_m: 10000, speed_kt: 515}",
        b"      - {lat_deg: 39.80, lon_deg: 30.50, alt_m: 500, speed_kt: 515}\n"
        b"      - {lat_deg: 39.40, lon_deg: 32.00, alt_m: 500, speed_kt: 515}",
        "air_tracks[7].route[0].alt_m",
        "the leg to the next waypoint",
    ),
    "site_underground": Case(  # alt_m left at 0 on the Anatolian plateau (about 850 m)
        b"    position: {lat_deg: 40.0789, lon_deg: 32.5656, alt_m: 856}",
        b"    position: {lat_deg: 40.0789, lon_deg: 32.5656, alt_m: 0}",
        "fire_units[0].position.alt_m",
        "below the terrain there",
    ),
    "defended_asset_underground": Case(
        b"alt_m: 938}",
        b"alt_m: 0}",
        "defended_assets[0].position.alt_m",
        "below the terrain there",
    ),
    "airliner_at_20000_kt": Case(
        b"      - {lat_deg: 40.60, lon_deg: 30.60, alt_m: 10000, speed_kt: 440}",
        b"      - {lat_deg: 40.60, lon_deg: 30.60, alt_m: 10000, speed_kt: 20000}",
        "air_tracks[11].route[0].speed_kt",
        "faster",
    ),
    "airliner_above_its_ceiling": Case(
        b"      - {lat_deg: 40.60, lon_deg: 30.60, alt_m: 10000, speed_kt: 440}",
        b"      - {lat_deg: 40.60, lon_deg: 30.60, alt_m: 30000, speed_kt: 440}",
        "air_tracks[11].route[0].alt_m",
        "ceiling",
    ),
    "count_true": Case(
        b"    start_s: 900\n    count: 4",
        b"    start_s: 900\n    count: true",
        "air_tracks[5].count",
        "true/false",
        marker=b"count: true",
    ),
}


def _edited(case: Case, name: str) -> bytes:
    text = case.source.read_bytes()
    if name == "utf16":
        return text.decode("utf-8").encode("utf-16")
    if name == "random_bytes":
        return bytes(range(256)) * 8
    if case.append:
        return text + case.new
    assert text.count(case.old) == 1, "the edit must be unambiguous"
    return text.replace(case.old, case.new)


def write_case(name: str, directory: Path) -> tuple[Path, int | None]:
    """Write the edited scenario; return its path and the line the error must name."""
    case = CASES[name]
    data = _edited(case, name)
    marker = case.marker
    if marker is None and name != "random_bytes":
        marker = case.new.splitlines()[0]
    line = None
    if name == "utf16":
        line = 1
    elif marker is not None:
        rows = data.decode("latin-1").splitlines()
        start = next(i for i, row in enumerate(rows) if case.after.decode("latin-1") in row)
        line = next(
            i for i, row in enumerate(rows[start:], start + 1) if marker.decode("latin-1") in row
        )
    path = directory / "bad.yaml"
    path.write_bytes(data)
    return path, line


@pytest.mark.parametrize("name", sorted(CASES))
def test_loader_names_file_line_and_field(name, tmp_path):
    case = CASES[name]
    path, line = write_case(name, tmp_path)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    error = caught.value
    assert error.file == str(path)
    matching = [issue for issue in error.issues if issue.field_path == case.field_path]
    assert matching, [issue.format(error.file) for issue in error.issues]
    assert case.message in matching[0].message
    if line is not None:
        assert matching[0].line == line, matching[0].format(error.file)


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_exits_2_naming_file_line_and_field(name, tmp_path):
    case = CASES[name]
    path, line = write_case(name, tmp_path)
    started = time.perf_counter()
    result = CliRunner().invoke(app, ["validate", str(path)], env={"COLUMNS": "300"})
    elapsed_s = time.perf_counter() - started
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    where = f"{path}:{line}: " if line is not None else f"{path}"
    assert where in result.output
    assert f": {case.field_path or '<top>'}: " in result.output
    assert elapsed_s < 10.0  # a hang detector, not a timing test (they take milliseconds)


def test_alias_bomb_stops_at_the_node_budget_not_after_minutes():
    limits = YamlLimits(max_nodes=1_000)
    with pytest.raises(InputError, match="more than 1,000 values"):
        parse_yaml(BOMB, "bomb.yaml", limits)


def test_nesting_stops_at_the_depth_budget_with_its_line():
    text = "a: 1\nb: " + "[" * 40 + "]" * 40 + "\n"
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "deep.yaml")
    issue = caught.value.issues[0]
    assert "nested more than 32 levels" in issue.message
    assert issue.line == 2


def test_aliases_within_the_budget_are_copies():
    document, lines = parse_yaml("a: &p {x: 1}\nb: *p\n", "ok.yaml")
    assert document == {"a": {"x": 1}, "b": {"x": 1}}
    assert document["a"] is not document["b"]  # an edit of one (a sweep) leaves the other
    assert lines[("b",)] == 2


def test_yaml_1_2_exponents_are_numbers():
    document, _ = parse_yaml("a: 1e3\nb: 2.5E-3\nc: '1e3'\n", "numbers.yaml")
    assert document == {"a": 1000.0, "b": 0.0025, "c": "1e3"}


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * 1_000_001)
    with pytest.raises(InputError, match="larger than the limit"):
        load_scenario(path)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(InputError, match="folder"):
        load_scenario(tmp_path)


def run_entry_point(*args: str) -> subprocess.CompletedProcess:
    """``iadsim ARGS`` in a child process, with a timeout that turns a hang into a failure."""
    return subprocess.run(
        [sys.executable, "-c", "from iadsim.cli import app; app()", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "300"},
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_validate_refuses_a_fifo_without_opening_it(tmp_path):
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    result = run_entry_point("validate", str(fifo))  # an open() would block forever
    assert result.returncode == 2
    assert f"{fifo}: <top>: is a FIFO" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_validate_refuses_dev_zero():
    result = run_entry_point("validate", "/dev/zero")
    assert result.returncode == 2
    assert "/dev/zero: <top>: is a device" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_terrain_samples_cross_the_antimeridian_the_short_way():
    from types import SimpleNamespace

    from iadsim.scenario.limits import _leg_points

    a = SimpleNamespace(lat_deg=65.0, lon_deg=179.5, alt_m=0.0)
    b = SimpleNamespace(lat_deg=65.0, lon_deg=-179.5, alt_m=100.0)
    _, lon, alt = _leg_points(a, b, 4)
    assert lon.tolist() == [179.5, 179.75, 180.0, -179.75]
    assert alt.tolist() == [0.0, 25.0, 50.0, 75.0]
