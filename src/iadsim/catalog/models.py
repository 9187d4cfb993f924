"""Typed catalog entries. Every entry keeps its sources, confidence codes and ranges.

Values are SI with the unit in the key name; angles are given in degrees in the files
(the edge) and exposed in radians by properties.

The entries live in one module per family and are re-exported here, the catalog's public
import path: :mod:`.sourced` (provenance, limits), :mod:`.defence_models` (radars,
launchers, interceptors, command posts, IFF), :mod:`.threat_models` (air platforms, jammers,
emitters, ARMs, decoys), :mod:`.airframe_models` and :mod:`.signature_models`.
"""

from iadsim.catalog.airframe_models import (
    AirframeType,
    DragCurve,
)
from iadsim.catalog.defence_models import (
    DEFAULT_SEARCH_CEILING_M,
    DEFAULT_SEARCH_PULSES,
    CommandPostType,
    InterceptorType,
    InterrogatorType,
    LauncherType,
    RadarType,
    TransponderType,
)
from iadsim.catalog.signature_models import (
    BandValues,
    SignatureAnchor,
    SignatureBand,
    SignatureGrid,
    SignatureLobe,
    SignaturePattern,
    SignatureType,
)
from iadsim.catalog.sourced import (
    MAX_FALSE_ALARMS_PER_SCAN,
    MAX_MAST_M,
    MAX_RANGE_M,
    MAX_SPEED_M_S,
    Sourced,
    value_at,
)
from iadsim.catalog.threat_models import (
    AirPlatformType,
    AntiRadiationMissileType,
    BallisticPerformance,
    DecoyType,
    EmitterType,
    JammerType,
)

__all__ = [
    "DEFAULT_SEARCH_CEILING_M",
    "DEFAULT_SEARCH_PULSES",
    "MAX_FALSE_ALARMS_PER_SCAN",
    "MAX_MAST_M",
    "MAX_RANGE_M",
    "MAX_SPEED_M_S",
    "AirPlatformType",
    "AirframeType",
    "AntiRadiationMissileType",
    "BallisticPerformance",
    "BandValues",
    "CommandPostType",
    "DecoyType",
    "DragCurve",
    "EmitterType",
    "InterceptorType",
    "InterrogatorType",
    "JammerType",
    "LauncherType",
    "RadarType",
    "SignatureAnchor",
    "SignatureBand",
    "SignatureGrid",
    "SignatureLobe",
    "SignaturePattern",
    "SignatureType",
    "Sourced",
    "TransponderType",
    "value_at",
]
