"""What each measure of a run means: its kind, its unit and one line of description.

A campaign reports every measure with a statistic chosen from its *declared* kind, never
from the values it happens to take (a count of allied aircraft engaged that is 0 or 1 in
every replication is still a count, and gets a mean, not a proportion):

==============  ==============================================  ===========================
kind            what one replication gives                      statistic in a report
==============  ==============================================  ===========================
``count``       a whole number of things (threats, interceptors)  mean, bootstrap interval
``proportion``  0 or 1: whether something happened                fraction, Wilson interval
``duration``    a time, in seconds                                mean, bootstrap interval
``range``       a distance, e.g. in km                            mean, bootstrap interval
``ratio``       a quotient of two quantities (e.g. a fraction     mean, bootstrap interval
                of time or of tracks, 0..1, not itself 0/1)
==============  ==============================================  ===========================

A replicate function declares the measures it returns with :func:`declare_measures`; the
campaign writes the declarations into its manifest, and the report reads them from there.
A *family* of measures with one name per platform (``leakers_<platform>``) is declared
once, with a ``<placeholder>`` in its name; the placeholder's value replaces it in the
description (``leakers_kalibr``: "... of platform kalibr ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "KINDS",
    "REPLICATION_MEASURES",
    "Measure",
    "declare_measures",
    "declared_measures",
    "find_measure",
]

KINDS = ("count", "proportion", "duration", "range", "ratio")
"""Declared kinds of measure (see the module docstring)."""

_PLACEHOLDER = re.compile(r"<([A-Za-z_][A-Za-z0-9_]*)>")

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Measure:
    """Declaration of one measure (or one family of measures) of a replication.

    Attributes
    ----------
    name : str
        Column name, e.g. ``"leakers"``; a family has one ``<placeholder>`` in it, e.g.
        ``"leakers_<platform>"``, standing for one or more characters.
    kind : str
        One of :data:`KINDS`.
    unit : str
        Unit of one replication's value: ``"threats"``, ``"interceptors"``, ``"s"``,
        ``"km"``; ``""`` for proportions and dimensionless ratios.
    description : str
        One line saying what the value is, for the report's reader.
    """

    name: str
    kind: str
    unit: str
    description: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"measure {self.name!r}: kind {self.kind!r} is not one of {', '.join(KINDS)}"
            )
        if not self.name or not self.description.strip() or "\n" in self.description:
            raise ValueError(f"measure {self.name!r} needs a name and a one-line description")
        if len(_PLACEHOLDER.findall(self.name)) > 1:
            raise ValueError(f"measure {self.name!r}: at most one <placeholder> in a name")
        if self.kind == "proportion" and self.unit:
            raise ValueError(f"measure {self.name!r}: a proportion has no unit, got {self.unit!r}")

    @property
    def is_family(self) -> bool:
        """Whether the name holds a ``<placeholder>`` (one declaration, many columns)."""
        return _PLACEHOLDER.search(self.name) is not None

    def match(self, name: str) -> Measure | None:
        """This declaration applied to column ``name``, or None if it does not cover it.

        A family gives a concrete :class:`Measure` with the placeholder's value filled in
        the name and the description.
        """
        if not self.is_family:
            return self if name == self.name else None
        placeholder = _PLACEHOLDER.search(self.name)
        assert placeholder is not None
        prefix, suffix = self.name[: placeholder.start()], self.name[placeholder.end() :]
        found = re.fullmatch(re.escape(prefix) + "(.+)" + re.escape(suffix), name)
        if found is None:
            return None
        description = self.description.replace(placeholder.group(0), found.group(1))
        return Measure(name, self.kind, self.unit, description)

    def to_json(self) -> dict[str, str]:
        """Plain dict for the campaign manifest."""
        return {
            "name": self.name,
            "kind": self.kind,
            "unit": self.unit,
            "description": self.description,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Measure:
        """Inverse of :meth:`to_json`; ``ValueError`` for an unknown kind."""
        fields = ("name", "kind", "unit", "description")
        return cls(*(str(data[field]) for field in fields))


def find_measure(declarations: Iterable[Measure], name: str) -> Measure | None:
    """The declaration of column ``name``: an exact name first, then the first family."""
    declared = list(declarations)
    for measure in declared:
        if not measure.is_family and measure.name == name:
            return measure
    for measure in declared:
        if measure.is_family and (found := measure.match(name)) is not None:
            return found
    return None


def declare_measures(*measures: Measure) -> Callable[[F], F]:
    """Decorator: the replicate function returns these measures.

    Sets ``function.measures`` to the tuple of declarations, which
    :func:`declared_measures` reads. Names must be unique.

    Examples
    --------
    >>> @declare_measures(Measure("kills", "count", "threats", "Threats killed."))
    ... def replicate(scenario_doc, seed):
    ...     return {"kills": 3}
    >>> [m.name for m in declared_measures(replicate)]
    ['kills']
    """
    names = [measure.name for measure in measures]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"measures declared twice: {', '.join(duplicates)}")

    def decorate(function: F) -> F:
        function.measures = tuple(measures)  # type: ignore[attr-defined]
        return function

    return decorate


def declared_measures(replicate: Callable[..., Any]) -> tuple[Measure, ...] | None:
    """The measures a replicate function declares, or None if it declares none."""
    measures = getattr(replicate, "measures", None)
    if measures is None:
        return None
    if not all(isinstance(measure, Measure) for measure in measures):
        raise TypeError(f"{replicate!r}.measures must be a sequence of Measure")
    return tuple(measures)


REPLICATION_MEASURES: tuple[Measure, ...] = (
    Measure(
        "leakers",
        "count",
        "threats",
        "Threats (hostile aircraft and missiles) that reached the end of their route alive; "
        "threats still flying when the run ends are not counted.",
    ),
    Measure(
        "kills",
        "count",
        "threats",
        "Threats killed by the defence's interceptors.",
    ),
    Measure(
        "airborne_at_end",
        "count",
        "threats",
        "Threats neither killed nor at the end of their route when the run ended.",
    ),
    Measure(
        "interceptors_fired",
        "count",
        "interceptors",
        "Interceptors launched by all fire units, at any target.",
    ),
    Measure(
        "allied_engaged",
        "count",
        "aircraft",
        "Allied (friendly, not civil) aircraft engaged at least once by the defence, "
        "each counted once, killed or not.",
    ),
    Measure(
        "civil_engaged",
        "count",
        "aircraft",
        "Civil aircraft engaged at least once by the defence, each counted once, killed or not.",
    ),
    Measure(
        "any_friendly_engaged",
        "proportion",
        "",
        "1 if any allied or civil aircraft was engaged in the run, else 0.",
    ),
    Measure(
        "own_tracked_<post>",
        "count",
        "threats",
        "Threats that post <post> held a confirmed track on from its own radars (link "
        "reports not counted).",
    ),
    Measure(
        "first_track_range_km_mean_<post>",
        "range",
        "km",
        "Mean over the threats post <post> tracked with its own radars of the true range "
        "from the post when it first held a confirmed track on each; undefined if none.",
    ),
    Measure(
        "leakers_<platform>",
        "count",
        "threats",
        "Threats of platform type <platform> that reached the end of their route alive.",
    ),
)
"""Declarations of every measure :func:`iadsim.scoring.replication.measures` returns."""
