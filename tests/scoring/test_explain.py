"""The chain of one entity, from hand-built event and track tables."""

from __future__ import annotations

import numpy as np
import pytest

from iadsim.engine.record import Recorder
from iadsim.scoring.explain import UnknownNameError, explain


def _tables():
    rec = Recorder()
    rec.event(5.0, "first_detection", unit="sam", truth="bm-01", radar="sam/radar",
              range_km=120.0)  # fmt: skip
    rec.event(5.5, "first_track", unit="sam", truth="bm-01", source="link", link="L16",
              range_km=110.0)  # fmt: skip
    rec.event(6.0, "identity", unit="sam", track_id=3, truth="bm-02", old="pending",
              new="hostile", reason="ballistic_trajectory")  # fmt: skip
    rec.event(8.0, "hold_fire", unit="sam", track_id=3, truth="bm-01", identity="hostile",
              reason="no_rounds", track="3")  # fmt: skip
    rec.event(9.0, "identity", unit="sam", track_id=7, truth="bm-02", old="pending",
              new="suspect", reason="inbound")  # fmt: skip
    rec.event(30.0, "leak", truth="bm-01", platform="bm")
    one = np.zeros(1)
    for t, truth in ((6.0, "bm-02"), (10.0, "bm-01"), (20.0, "bm-01")):
        rec.snapshot(t, "truth", [truth], [truth], ["red"], [""], one, one, one, np.zeros((1, 3)))
        rec.snapshot(
            t, "sam", ["3"], [truth], ["red"], ["hostile"], one, one, one, np.zeros((1, 3))
        )
    return rec.event_table(), rec.snapshot_table()


def test_chain_shows_detections_tracks_swapped_identities_holds_and_the_leak():
    lines = explain(*_tables(), "bm-01")
    text = "\n".join(lines)
    assert lines[0] == "bm-01: leaked at 30.0 s"
    assert "first detected by sam/radar at 120.0 km" in text
    assert "first link track (link L16) at 110.0 km" in text
    # Track 3 followed bm-02 when it was declared: shown, and said so; track 7 never held it.
    assert "identity pending -> hostile (ballistic_trajectory) [track then on bm-02]" in text
    assert "inbound" not in text
    assert "hold fire: no_rounds (held hostile)" in text
    assert "sam: last no_rounds; changes: no_rounds x1" in text
    assert "engagements:\n  none" in text


def test_unknown_name_offers_close_names():
    with pytest.raises(UnknownNameError) as error:
        explain(*_tables(), "bm-1")
    assert error.value.suggestions[:2] == ["bm-01", "bm-02"]
