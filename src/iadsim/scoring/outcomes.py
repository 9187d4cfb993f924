"""What became of every air entity (scenario-wide truth), and the check that none is lost.

Every aircraft and missile that started flying before the run ended (*launched*) ends the
run in exactly one terminal state, each read from its own event:

=================  ==================  ===================================================
state              event ``kind``      meaning
=================  ==================  ===================================================
``killed``         ``kill``            an interceptor killed it
``leaked``         ``leak``            a threat (hostile to the defence) reached the end of
                                       its route alive
``route_ended``    ``route_end``       any other aircraft reached the end of its route
``airborne_at_end``  ``airborne_at_end``  still flying when the run ended
=================  ==================  ===================================================

So ``launched = killed + leaked + route_ended + airborne_at_end`` for every platform and
side. :func:`truth_outcomes` checks it entity by entity and raises
:class:`ConservationError` when an entity has no terminal state, has two, or has one
without having been launched: the events would then contradict each other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

TERMINAL_STATES = {
    "kill": "killed",
    "leak": "leaked",
    "route_end": "route_ended",
    "airborne_at_end": "airborne_at_end",
}
"""Event kind -> terminal state it records."""


class ConservationError(RuntimeError):
    """The events of a run do not give every launched air entity exactly one terminal state."""


@dataclass(frozen=True)
class Outcomes:
    """Terminal state of every launched air entity.

    Attributes
    ----------
    state : dict of str to str
        Entity name -> terminal state (values of :data:`TERMINAL_STATES`), launched only.
    """

    state: dict[str, str]

    def count(self, names: Sequence[str], state: str) -> int:
        """How many of ``names`` ended in ``state``."""
        return sum(self.state.get(name) == state for name in names)

    def in_state(self, state: str) -> list[str]:
        """Names of the entities that ended in ``state``, in entity order."""
        return [name for name, s in self.state.items() if s == state]


def terminal_states(
    by_kind: Mapping[str, Sequence[Mapping[str, Any]]], launched: Sequence[str]
) -> Outcomes:
    """Each launched entity's terminal state, checked for conservation.

    Parameters
    ----------
    by_kind : mapping of str to list of dict
        Event rows (``truth`` at least) by event kind.
    launched : list of str
        Names of the entities that started flying before the run ended, in entity order.

    Raises
    ------
    ConservationError
        An entity with no terminal state or with several, or a terminal state recorded for
        an entity that was not launched.
    """
    states: dict[str, set[str]] = {name: set() for name in launched}
    strays = set()
    for kind, state in TERMINAL_STATES.items():
        for row in by_kind.get(kind, ()):
            if row["truth"] in states:
                states[row["truth"]].add(state)
            elif row["truth"]:
                strays.add(row["truth"])
    faults = [
        f"{name}: {' and '.join(sorted(s)) or 'no terminal state'}"
        for name, s in states.items()
        if len(s) != 1
    ]
    faults += [f"{name}: terminal state but never launched" for name in sorted(strays)]
    if faults:
        raise ConservationError(
            "launched != killed + leaked + route_ended + airborne_at_end: " + "; ".join(faults)
        )
    return Outcomes({name: s.pop() for name, s in states.items()})


def truth_outcomes(
    outcomes: Outcomes,
    names: Sequence[str],
    sides: Sequence[str],
    platforms: Sequence[str],
    launched: np.ndarray,
) -> list[dict[str, Any]]:
    """Terminal states counted per (side, platform), every air entity included.

    Parameters
    ----------
    outcomes : Outcomes
    names, sides, platforms : list of str, (n,)
    launched : (n,) bool
        Started flying before the run ended.

    Returns
    -------
    list of dict
        ``side``, ``platform``, ``launched`` and one count per terminal state, sorted by
        side then platform.
    """
    rows = []
    for side, platform in sorted(set(zip(sides, platforms, strict=True))):
        members = [
            n
            for i, n in enumerate(names)
            if launched[i] and sides[i] == side and platforms[i] == platform
        ]
        row: dict[str, Any] = {"side": side, "platform": platform, "launched": len(members)}
        row |= {state: outcomes.count(members, state) for state in TERMINAL_STATES.values()}
        rows.append(row)
    return rows
