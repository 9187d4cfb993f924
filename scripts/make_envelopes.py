"""Build the default-grid envelope table of every catalog airframe into the package.

Run after changing ``catalog/data/airframes.yaml``; commit the new files in
``src/iadsim/weapons/data/envelopes/`` and delete the ones no airframe matches any more.
"""

from __future__ import annotations

import shutil

from iadsim.weapons.envelope import BUNDLED_DIR, EnvelopeCache
from iadsim.weapons.flyout import load_airframes

shutil.rmtree(BUNDLED_DIR, ignore_errors=True)
cache = EnvelopeCache(disk_dir=BUNDLED_DIR)
for key, airframe in sorted(load_airframes().items()):
    table = cache.get(airframe)
    print(f"{key}: max ground range {table.max_ground_range_m(10_000.0):.0f} m at 10 km")
