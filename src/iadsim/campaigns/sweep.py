"""Parameter sweeps over a scenario document: ``--sweep PATH=V1,V2,...``.

A sweep edits the scenario as a plain dict (the YAML as loaded, before validation), so any
field of the scenario can be swept without the schema knowing about sweeps. A *path* is a
dotted list of segments walked from the top of the document:

* a segment into a mapping is a key (``weather.rain_mm_per_h``);
* a segment into a list is either an integer index (``sensors.0.power_w``, negative indices
  count from the end) or the ``name`` (else ``id``) of one element
  (``air_tracks.raid1.count`` is the ``count`` of the element of ``air_tracks`` whose
  ``name`` is ``raid1``);
* a path that starts with ``catalog.`` is a catalog override: ``catalog.f35a.rcs_scale=0.5``
  sets ``doc["catalog_overrides"]["f35a"]["rcs_scale"] = 0.5``, creating the mappings as
  needed, and the engine applies it when it resolves catalog entries.

Values are parsed as YAML scalars (``4`` is an int, ``0.5`` a float, ``true`` a bool,
``x-band`` a string, ``'7'`` the string 7); in addition an unquoted number in exponent form
such as ``1e3`` or ``1.0e3``, which YAML 1.1 reads as a string, is read as a float. Values
are split at commas, so a value cannot contain one. Several sweeps form a full-factorial
grid, the first sweep varying slowest.
"""

from __future__ import annotations

import copy
import difflib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from iadsim.core.errors import InputError
from iadsim.core.yaml_input import parse_yaml

__all__ = [
    "CATALOG_OVERRIDES_KEY",
    "SweepAxis",
    "SweepError",
    "apply_override",
    "apply_point",
    "grid_points",
    "parse_sweep",
    "parse_value",
]

CATALOG_OVERRIDES_KEY = "catalog_overrides"
"""Top-level key of the scenario document that holds ``catalog.<key>.<field>`` overrides."""

_CATALOG_PREFIX = "catalog"
_NAME_FIELDS = ("name", "id")
_MAX_LISTED_KEYS = 30


class SweepError(ValueError):
    """A sweep specification or path that cannot be applied; the message names the path."""

    exit_code = 2


@dataclass(frozen=True)
class SweepAxis:
    """One swept parameter: a dotted path into the scenario and the values it takes.

    Attributes
    ----------
    path : str
        Dotted path into the scenario document, e.g. ``air_tracks.raid1.count``.
    values : tuple
        The values, in the order given; each a YAML scalar (int, float, bool, str or None).
    """

    path: str
    values: tuple[Any, ...]

    def __post_init__(self) -> None:
        if not self.path or any(not part for part in self.path.split(".")):
            raise SweepError(f"sweep path {self.path!r} is empty or has an empty segment")
        if not self.values:
            raise SweepError(f"sweep {self.path!r} has no values")

    def spec(self) -> str:
        """The ``PATH=V1,V2`` text that parses back to this axis."""
        return f"{self.path}=" + ",".join(_format_value(v) for v in self.values)


def parse_value(text: str) -> Any:
    """Parse one sweep value as a YAML scalar.

    Parameters
    ----------
    text : str
        The value as typed, e.g. ``"4"``, ``"0.5"``, ``"true"``, ``"x-band"``, ``"1e3"``.

    Returns
    -------
    int, float, bool, str or None

    Raises
    ------
    SweepError
        If the text is empty or is a YAML collection rather than a scalar.
    """
    stripped = text.strip()
    if not stripped:
        raise SweepError("empty sweep value (two commas in a row, or a trailing comma?)")
    try:
        value, _ = parse_yaml(stripped, "--sweep")  # the scenario's reader and its limits
    except InputError as error:
        problem = "; ".join(issue.message for issue in error.issues)
        raise SweepError(f"sweep value {stripped!r}: {problem}") from None
    if isinstance(value, (dict, list)):
        raise SweepError(f"sweep value {stripped!r} is a collection; only scalars can be swept")
    return value


def parse_sweep(spec: str) -> SweepAxis:
    """Parse ``PATH=V1,V2,...`` into a :class:`SweepAxis`.

    Parameters
    ----------
    spec : str
        The text of one ``--sweep`` option.

    Returns
    -------
    SweepAxis

    Raises
    ------
    SweepError
        If there is no ``=``, the path is empty, a value is empty or a value repeats.
    """
    path, sep, values_text = spec.partition("=")
    path = path.strip()
    if not sep:
        raise SweepError(f"sweep {spec!r} must look like PATH=V1,V2,... (no '=' found)")
    if not path:
        raise SweepError(f"sweep {spec!r} has an empty path before '='")
    values = tuple(parse_value(part) for part in values_text.split(","))
    seen: list[Any] = []
    for value in values:
        if any(type(value) is type(other) and value == other for other in seen):
            raise SweepError(f"sweep {path!r} lists the value {value!r} twice")
        seen.append(value)
    return SweepAxis(path=path, values=values)


def grid_points(axes: Sequence[SweepAxis]) -> list[dict[str, Any]]:
    """Full-factorial grid of the axes, the first axis varying slowest.

    Parameters
    ----------
    axes : sequence of SweepAxis
        Distinct paths; an empty sequence gives one point with no overrides.

    Returns
    -------
    list of dict
        One ``{path: value}`` mapping per grid point, ``prod(len(axis.values))`` of them.
    """
    paths = [axis.path for axis in axes]
    duplicates = sorted({path for path in paths if paths.count(path) > 1})
    if duplicates:
        raise SweepError(f"the same path is swept twice: {', '.join(duplicates)}")
    return [
        dict(zip(paths, combination, strict=True))
        for combination in itertools.product(*(axis.values for axis in axes))
    ]


def apply_point(
    doc: Mapping[str, Any], point: Mapping[str, Any], *, allow_new_leaf: bool = False
) -> dict[str, Any]:
    """Return a deep copy of ``doc`` with every ``path: value`` of ``point`` applied.

    Parameters
    ----------
    doc : mapping
        The scenario document (not modified).
    point : mapping
        ``{dotted path: value}``, e.g. one element of :func:`grid_points`.
    allow_new_leaf : bool
        Passed to :func:`apply_override`.

    Returns
    -------
    dict
    """
    new_doc = copy.deepcopy(dict(doc))
    for path, value in point.items():
        apply_override(new_doc, path, value, allow_new_leaf=allow_new_leaf)
    return new_doc


def apply_override(
    doc: dict[str, Any], path: str, value: Any, *, allow_new_leaf: bool = False
) -> None:
    """Set the field at a dotted ``path`` of ``doc`` to ``value``, in place.

    Parameters
    ----------
    doc : dict
        The scenario document, modified in place.
    path : str
        Dotted path (see the module docstring); ``catalog.<key>.<field>`` writes into
        ``doc["catalog_overrides"]``.
    value : object
        The new value.
    allow_new_leaf : bool
        If False (the default) the last segment must already exist, so that a typo is an
        error rather than a silently ignored new key. Intermediate segments must always
        exist, except under ``catalog_overrides``, which is created on demand.

    Raises
    ------
    SweepError
        Naming the full path, the segment that failed and the keys or names available there.
    """
    segments = path.split(".")
    if any(not segment for segment in segments):
        raise SweepError(f"sweep path {path!r} has an empty segment")
    if segments[0] == _CATALOG_PREFIX:
        if len(segments) < 3:
            raise SweepError(
                f"catalog sweep path {path!r} must be catalog.<entry>.<field> "
                "(e.g. catalog.f35a.rcs_scale)"
            )
        entry = doc.setdefault(CATALOG_OVERRIDES_KEY, {})
        for segment in segments[1:-1]:
            if not isinstance(entry, dict):
                raise SweepError(f"sweep path {path!r}: {segment!r} is under a non-mapping")
            entry = entry.setdefault(segment, {})
        if not isinstance(entry, dict):
            raise SweepError(f"sweep path {path!r}: the catalog entry is not a mapping")
        entry[segments[-1]] = value
        return

    node: Any = doc
    walked: list[str] = []
    for depth, segment in enumerate(segments):
        is_last = depth == len(segments) - 1
        where = ".".join(walked) or "<top level>"
        if isinstance(node, dict):
            if segment not in node and not (is_last and allow_new_leaf):
                raise SweepError(
                    f"sweep path {path!r}: no key {segment!r} at {where}"
                    f"{_did_you_mean(segment, node)}; available keys: {_list_keys(node)}"
                )
            if is_last:
                node[segment] = value
                return
            node = node[segment]
        elif isinstance(node, list):
            index = _list_index(node, segment, path, where)
            if is_last:
                node[index] = value
                return
            node = node[index]
        else:
            raise SweepError(
                f"sweep path {path!r}: {where} is a {type(node).__name__} "
                f"({node!r}), which has no field {segment!r}"
            )
        walked.append(segment)


def _list_index(items: list[Any], segment: str, path: str, where: str) -> int:
    """Index of the element of ``items`` that ``segment`` selects (integer or name/id)."""
    try:
        index = int(segment)
    except ValueError:
        index = None
    if index is not None:
        if -len(items) <= index < len(items):
            return index % len(items)
        raise SweepError(
            f"sweep path {path!r}: index {index} is out of range at {where} "
            f"(a list of {len(items)} elements)"
        )
    matches = [
        position
        for position, item in enumerate(items)
        if isinstance(item, dict) and any(item.get(field) == segment for field in _NAME_FIELDS)
    ]
    if len(matches) == 1:
        return matches[0]
    names = [
        str(item.get("name", item.get("id")))
        for item in items
        if isinstance(item, dict) and ("name" in item or "id" in item)
    ]
    if not matches:
        hint = ", ".join(names[:_MAX_LISTED_KEYS]) if names else "(elements have no name)"
        raise SweepError(
            f"sweep path {path!r}: no element named {segment!r} in the list at {where}"
            f"{_did_you_mean(segment, names)}; available names: {hint}; "
            f"or use an index 0..{len(items) - 1}"
        )
    raise SweepError(
        f"sweep path {path!r}: {len(matches)} elements are named {segment!r} at {where}; "
        f"use an index instead (positions {matches})"
    )


def _did_you_mean(segment: str, candidates: Iterable[Any]) -> str:
    close = difflib.get_close_matches(segment, [str(c) for c in candidates], n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""


def _list_keys(node: Mapping[str, Any]) -> str:
    keys = [str(key) for key in node]
    if not keys:
        return "(none: the mapping is empty)"
    shown = ", ".join(keys[:_MAX_LISTED_KEYS])
    return shown + (f", ... ({len(keys)} in all)" if len(keys) > _MAX_LISTED_KEYS else "")


def _format_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()
