"""The bundled S-400 and Patriot runs hold no ghost tracks (scripts/check_ghost_tracks.py):
none coasts for more than 4 revisits without a detection, none lies under the terrain by
more than 150 m plus 3 standard deviations of its height, and none by more than 1 m at all
(the terrain holds every track up: iadsim.tracking.terrain_constraint)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.conftest import ROOT


@pytest.mark.slow
def test_bundled_runs_hold_no_stale_or_under_ground_track():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "check_ghost_tracks.py"),
         "turkey-s400-ankara", "turkey-patriot-ankara",
         "--max-revisits", "4", "--max-sigmas", "3", "--tolerance-m", "150",
         "--max-depth-m", "1"],
        capture_output=True, text=True, env=env, check=False, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
