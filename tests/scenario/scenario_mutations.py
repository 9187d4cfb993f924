"""Mutation operators over scenario files, for the loading fuzzer (``test_loading_fuzzer.py``).

A case is one seed scenario (the bundled ones and the loader's minimal fixture) with one to
three mutations, drawn from ``random.Random(f"{seed}:{index}")``, so that case ``index`` is
the same on every machine and can be replayed alone. Operators work on the bytes (encoding,
stray bytes, lines, YAML structure and tags) or on the parsed document (values of every type
at any field, catalog overrides of every catalog figure, scaled numbers that stay valid).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from iadsim.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[2]
SEEDS = (
    *sorted((ROOT / "scenarios").glob("*.yaml")),
    ROOT / "tests" / "data" / "scenarios" / "minimal.yaml",
)
"""Scenario files the mutations start from."""

VALUE_TOKENS = (
    ".inf", "-.inf", ".nan", ".NaN", "1e-9", "1e-300", "1e308", "1e400", "-1", "0", "-0.0",
    "1", "2", "7", "true", "false", "yes", "no", "null", "~", "''", '""', "[]", "{}",
    "[1, 2]", "{a: 1}", "9" * 5000, "1" * 70, "0x7fffffffffffffffffff", "1_000", "1:20:30",
    "2026-13-45", "2026-06-01", "1e3", "-1e3", "!include other.yaml", "!!python/name:os.system",
    "!!binary aGVsbG8=", "!!str 5", "! 5", "*nowhere", "&anchor 5", "<<", "=", "'\u00e9t\u00e9'",
    '"\\udc80"', '"\\x00"', '"\\e[31m"', "'[/x]'", "'../../etc'", "x" * 300, "s400/92n6e",
    "f35a", "kalibr", "red", "mode5", "shoot_shoot",
)  # fmt: skip
"""Replacement texts for a value: non-finite, tiny, huge, wrong types, YAML 1.1 quirks,
tags, aliases, escapes, control and markup characters, long text and real catalog names."""

STRAY_BYTES = (
    b"\x00", b"\x01", b"\x1b", b"\x7f", b"\x80", b"\xe9", b"\xff", b"\xfe", b"\t", b"\r",
    b"{", b"}", b"[", b"]", b":", b"-", b"&", b"*", b"!", b"%", b"@", b"`", b"|", b">",
    b"'", b'"', b"#", b"?", b",", b"\n", b" ", b"\xef\xbb\xbf",
)  # fmt: skip
"""Single bytes (and a byte-order mark) that YAML, UTF-8 or a terminal treat specially."""

NUMBER_VALUES = (math.inf, -math.inf, math.nan, 0.0, -1.0, 1e-9, 1e-300, 1e300, 10**30, True)
"""Replacement numbers for a parsed document (and True, which Python counts as 1)."""

CATALOG = load_catalog()
CATALOG_FIELDS: dict[str, list[tuple[str, float]]] = {}
for _, _key, _entry in CATALOG.entries():  # an interceptor and its airframe share a key
    CATALOG_FIELDS.setdefault(_key, []).extend(
        (name, value)
        for name, value in _entry.model_dump().items()
        if isinstance(value, int | float) and not isinstance(value, bool)
    )
"""Every numeric figure of every catalog entry, by entry key: what an override can change."""


@dataclass(frozen=True)
class Mutant:
    """A mutated scenario file: its seed, the operators applied, and its bytes."""

    seed: Path
    operators: tuple[str, ...]
    data: bytes

    def describe(self) -> str:
        """``seed-name: op1, op2`` for failure messages."""
        return f"{self.seed.name}: {', '.join(self.operators)}"


# -- byte operators ---------------------------------------------------------------------------
_VALUE = re.compile(rb"(?P<key>[A-Za-z_][\w/]*): (?P<value>[^,{}\[\]\n#]+)")


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def replace_value(data: bytes, rng: random.Random) -> bytes:
    """Replace one ``key: value`` (block or flow style) with a token of :data:`VALUE_TOKENS`."""
    matches = list(_VALUE.finditer(data))
    if not matches:
        return data
    match = rng.choice(matches)
    token = rng.choice(VALUE_TOKENS).encode("utf-8", "surrogatepass")
    return data[: match.start("value")] + token + data[match.end("value") :]


def insert_byte(data: bytes, rng: random.Random) -> bytes:
    """Insert one of :data:`STRAY_BYTES` anywhere."""
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(STRAY_BYTES) + data[at:]


def delete_span(data: bytes, rng: random.Random) -> bytes:
    """Delete 1 to 40 bytes anywhere."""
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 40) :]


def truncate(data: bytes, rng: random.Random) -> bytes:
    """Cut the file short."""
    return data[: rng.randrange(len(data))]


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    """Repeat one line (a duplicate key in a mapping, an extra item in a list)."""
    lines = _lines(data)
    at = rng.randrange(len(lines))
    return b"\n".join([*lines[: at + 1], lines[at], *lines[at + 1 :]])


def delete_line(data: bytes, rng: random.Random) -> bytes:
    """Remove one line (a missing field)."""
    lines = _lines(data)
    del lines[rng.randrange(len(lines))]
    return b"\n".join(lines)


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    """Exchange two lines."""
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def shift_indent(data: bytes, rng: random.Random) -> bytes:
    """Indent or dedent one line by two spaces."""
    lines = _lines(data)
    at = rng.randrange(len(lines))
    lines[at] = b"  " + lines[at] if rng.random() < 0.5 else lines[at].removeprefix(b"  ")
    return b"\n".join(lines)


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    """Wrap a value in 10 to 3,000 levels of flow lists or mappings."""
    matches = list(_VALUE.finditer(data))
    depth = rng.choice((10, 31, 33, 100, 1000, 3000))
    if rng.random() < 0.5:
        nested = b"[" * depth + b"1" + b"]" * depth
    else:
        nested = b"{a: " * depth + b"1" + b"}" * depth
    if not matches:
        return data + b"\nx: " + nested + b"\n"
    match = rng.choice(matches)
    return data[: match.start("value")] + nested + data[match.end("value") :]


def alias_bomb(data: bytes, rng: random.Random) -> bytes:
    """Add a billion-laughs alias bomb of 2 to 9 levels as extra top-level keys."""
    levels, width = rng.randint(2, 9), rng.randint(2, 10)
    lines = [f"x0: &a0 [{', '.join(['1'] * width)}]"]
    for level in range(1, levels):
        items = ", ".join([f"*a{level - 1}"] * width)
        lines.append(f"x{level}: &a{level} [{items}]")
    return data.rstrip(b"\n") + b"\n" + "\n".join(lines).encode() + b"\n"


def yaml_structure(data: bytes, rng: random.Random) -> bytes:
    """Add a YAML construct iadsim refuses: a merge key, a complex key, a second document."""
    extra = rng.choice(
        (
            b"<<: {duration_min: 5}",
            b"? [a, b]\n: 1",
            b"{a: 1}: 1",
            b"? {a: 1}\n: 1",
            b"---\nname: other",
            b"%YAML 1.1\n---",
            b"x: &loop [*loop]",
            b"!!map {a: 1}: 2",
            b"x: !!set {a, b}",
            b"x: !!omap [{a: 1}]",
        )
    )
    return data.rstrip(b"\n") + b"\n" + extra + b"\n"


def reencode(data: bytes, rng: random.Random) -> bytes:
    """Save the text in another encoding, or as random bytes."""
    text = data.decode("utf-8", "replace") if rng.random() < 0.9 else ""
    choice = rng.randrange(4)
    if choice == 0:
        return text.encode("utf-16")
    if choice == 1:
        return text.encode("utf-16-le")
    if choice == 2:
        return ("# caf\u00e9\n" + text).encode("latin-1", "replace")
    return rng.randbytes(rng.randint(1, 4096))


BYTE_OPERATORS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "replace_value": replace_value,
    "insert_byte": insert_byte,
    "delete_span": delete_span,
    "truncate": truncate,
    "duplicate_line": duplicate_line,
    "delete_line": delete_line,
    "swap_lines": swap_lines,
    "shift_indent": shift_indent,
    "deep_nesting": deep_nesting,
    "alias_bomb": alias_bomb,
    "yaml_structure": yaml_structure,
    "reencode": reencode,
}


# -- document operators -----------------------------------------------------------------------
def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every scalar in a document."""
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*path, key))]
    if isinstance(node, list):
        return [leaf for i, value in enumerate(node) for leaf in _leaves(value, (*path, i))]
    return [path]


def _set(document: Any, path: tuple, value: Any) -> None:
    for part in path[:-1]:
        document = document[part]
    document[path[-1]] = value


def _get(document: Any, path: tuple) -> Any:
    for part in path:
        document = document[part]
    return document


def replace_number(document: dict, rng: random.Random) -> str:
    """Put a non-finite, tiny, huge or boolean value at a numeric field."""
    numeric = [p for p in _leaves(document) if isinstance(_get(document, p), int | float)]
    path = rng.choice(numeric)
    _set(document, path, rng.choice(NUMBER_VALUES))
    return f"replace_number {path}"


def scale_number(document: dict, rng: random.Random) -> str:
    """Scale a numeric field by 0.5 to 2 (mostly still valid: the run must then work)."""
    numeric = [
        p
        for p in _leaves(document)
        if isinstance(_get(document, p), int | float) and not isinstance(_get(document, p), bool)
    ]
    path = rng.choice(numeric)
    value = _get(document, path) * rng.uniform(0.5, 2.0)
    _set(document, path, round(value) if isinstance(_get(document, path), int) else value)
    return f"scale_number {path}"


def override_catalog(document: dict, rng: random.Random) -> str:
    """Override one figure of a catalog entry: scaled (often valid), or an extreme value."""
    key = rng.choice(sorted(CATALOG_FIELDS))
    name, value = rng.choice(CATALOG_FIELDS[key])
    roll = rng.random()
    if roll < 0.5:
        new: Any = value * 10 ** rng.uniform(-1.0, 1.0)
        new = round(new) if isinstance(value, int) else new
    elif roll < 0.9:
        new = rng.choice(NUMBER_VALUES)
    else:
        new = rng.choice(("high", [1, 2], {"a": 1}, None, -value))
    document.setdefault("catalog_overrides", {}).setdefault(key, {})[name] = new
    return f"override_catalog {key}.{name}={new!r}"


def move_waypoint(document: dict, rng: random.Random) -> str:
    """Move a waypoint (a ballistic flight's launch point or target): onto its neighbour,
    underground, very high, or far away."""
    track = rng.choice(document["air_tracks"])
    if "ballistic" in track:
        flight = track["ballistic"]
        route = [flight["launch"], flight["target"]]
    else:
        route = track["route"]
    w = rng.randrange(len(route))
    roll = rng.random()
    if roll < 0.3:
        route[w].update(route[w - 1] if w else route[1])
    elif roll < 0.6:
        route[w]["alt_m"] = rng.choice((-600.0, -50.0, 0.0, 20_000.0, 60_000.0, 2.0e6))
    else:
        route[w]["lat_deg"] = rng.uniform(-90.0, 90.0)
        route[w]["lon_deg"] = rng.uniform(-180.0, 180.0)
    return f"move_waypoint {track['name']}[{w}]"


DOCUMENT_OPERATORS: dict[str, Callable[[dict, random.Random], str]] = {
    "replace_number": replace_number,
    "scale_number": scale_number,
    "override_catalog": override_catalog,
    "move_waypoint": move_waypoint,
}


def mutant(seed: int, index: int) -> Mutant:
    """Case ``index`` of the fuzzer with ``seed``: a seed file and 1-3 mutations."""
    rng = random.Random(f"{seed}:{index}")
    source = rng.choice(SEEDS)
    data = source.read_bytes()
    operators: list[str] = []
    if rng.random() < 0.5:
        document = yaml.safe_load(data)
        for _ in range(rng.randint(1, 3)):
            operators.append(rng.choice(list(DOCUMENT_OPERATORS)))
            operators[-1] = DOCUMENT_OPERATORS[operators[-1]](document, rng)
        data = yaml.safe_dump(document, sort_keys=False, allow_unicode=True).encode()
        return Mutant(source, tuple(operators), data)
    for _ in range(rng.randint(1, 3)):
        if not data:  # cut to nothing: there is no byte left to mutate
            break
        name = rng.choice(list(BYTE_OPERATORS))
        data = BYTE_OPERATORS[name](data, rng)
        operators.append(name)
    return Mutant(source, tuple(operators), data)
