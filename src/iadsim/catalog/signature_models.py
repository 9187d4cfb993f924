"""Catalog entries of radar signatures: band-wise RCS against aspect (grids, anchors, lobes).

Values are SI with the unit in the key name; angles are given in degrees in the files.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, model_validator

from iadsim.catalog.sourced import (
    Sourced,
    value_at,
)
from iadsim.core.input_model import InputModel


class SignatureBand(InputModel):
    """A radar band of the signature tables: its name, representative frequency and span."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    name: str
    freq_hz: float = Field(ge=1.0e6, le=1.0e12)
    ieee_band_hz: tuple[float, float]


class SignatureGrid(InputModel):
    """The aspect grid and bands every signature table is given on (``signatures.yaml``)."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    az_deg: list[Annotated[float, Field(ge=0, le=180)]] = Field(min_length=2)
    el_deg: list[Annotated[float, Field(ge=-90, le=90)]] = Field(min_length=2)
    bands: list[SignatureBand] = Field(min_length=1)

    @model_validator(mode="after")
    def _nodes_increase(self) -> SignatureGrid:
        for name in ("az_deg", "el_deg"):
            nodes = getattr(self, name)
            if any(b <= a for a, b in itertools.pairwise(nodes)):
                raise ValueError(f"{name} nodes must increase")
        freqs = [band.freq_hz for band in self.bands]
        if any(b <= a for a, b in itertools.pairwise(freqs)):
            raise ValueError("bands must be in increasing frequency")
        return self


class SignatureAnchor(InputModel):
    """The public figure a notional signature table is scaled to."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    rcs_m2: float = Field(ge=1.0e-6, le=1.0e6)
    aspect: str
    band: str
    range_m2: tuple[float, float] | None = None
    note: str = ""


BandValues = dict[str, Annotated[float, Field(ge=-100, le=100)]]
"""One value per band of the signature grid (``{VHF: .., UHF: .., L: .., S: .., C: .., X: ..}``)."""


class SignatureLobe(InputModel):
    """One scattering lobe of a signature: a specular flash, an edge spike or a broad envelope.

    Its power adds to the nose-on value: at aspect ``(az, el)`` and band ``b`` the lobe
    contributes ``10^((peak_db[b] + offset_db)/10) * exp(-4 ln2 [((az - az_deg)/W_b)^2 +
    ((el - el_deg)/W_el)^2])`` times the band's nose-on RCS (:mod:`iadsim.sensors.
    signature_pattern`). ``width_deg[b]`` is the half-power full width W_b in aspect
    azimuth; ``el_width_deg`` the one in aspect elevation (None: the same at every
    elevation, as for an edge of the wing plane). ``offset_db`` shifts every band's peak:
    it is what analyses sweep (``catalog.<type>.pattern.lobes.<name>.offset_db``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    az_deg: float = Field(ge=0, le=180)
    el_deg: float = Field(default=0.0, ge=-90, le=90)
    el_width_deg: float | None = Field(default=None, gt=0, le=360)
    peak_db: BandValues
    width_deg: dict[str, Annotated[float, Field(gt=0, le=360)]]
    offset_db: float = Field(default=0.0, ge=-60, le=60)
    note: str = ""


class SignaturePattern(InputModel):
    """Mean RCS of a target relative to its nose-on value, by aspect and band.

    ``kind: aircraft``: lobes over aspect azimuth and elevation, blended toward a planform
    flash ``planform_top_db`` (radar above the wings) or ``planform_bottom_db`` (below) with
    weight ``|sin el|^planform_exponent``. ``kind: body_of_revolution``: the lobes are
    functions of the angle between the body axis and the line of sight (``az_deg`` is that
    angle; no elevation or planform terms). ``band_offset_db`` is each band's nose-on value
    over the X-band anchor (0 at X). Equations: docs/models/signatures.md.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    kind: Literal["aircraft", "body_of_revolution"]
    band_offset_db: BandValues
    lobes: dict[str, SignatureLobe] = Field(default_factory=dict, max_length=16)
    planform_top_db: BandValues | None = None
    planform_bottom_db: BandValues | None = None
    planform_exponent: float | None = Field(default=None, gt=0, le=1000)

    @model_validator(mode="after")
    def _terms_fit_the_kind(self) -> SignaturePattern:
        planform = (self.planform_top_db, self.planform_bottom_db, self.planform_exponent)
        if self.kind == "aircraft" and any(term is None for term in planform):
            msg = (
                "an aircraft pattern needs planform_top_db, planform_bottom_db and "
                "planform_exponent"
            )
            raise ValueError(msg)
        if self.kind == "body_of_revolution":
            if any(term is not None for term in planform):
                raise ValueError("a body of revolution has no planform terms")
            if any(lobe.el_deg or lobe.el_width_deg for lobe in self.lobes.values()):
                raise ValueError("a body of revolution's lobes have no elevation terms")
        return self

    def band_tables(self) -> dict[str, dict[str, float]]:
        """Every per-band table of the pattern by its path (``lobes.<name>.peak_db``)."""
        tables = {"band_offset_db": self.band_offset_db}
        if self.planform_top_db is not None and self.planform_bottom_db is not None:
            tables |= {
                "planform_top_db": self.planform_top_db,
                "planform_bottom_db": self.planform_bottom_db,
            }
        for name, lobe in self.lobes.items():
            tables[f"lobes.{name}.peak_db"] = lobe.peak_db
            tables[f"lobes.{name}.width_deg"] = lobe.width_deg
        return tables


class SignatureType(Sourced):
    """RCS of an air platform by aspect and band: a sourced analytic pattern.

    Keyed like the air platform; its nose-on ``anchor`` must equal the platform's ``rcs_m2``,
    and the fluctuation case and ``rcs_scale`` are the platform's (one figure, one place).
    ``pattern`` gives the mean RCS relative to the anchor at every aspect and band; a look's
    mean RCS is the pattern at that look's aspect (no averaging over aspect cells).
    ``ranges`` may name figures inside the pattern by dotted path
    (``pattern.lobes.leading_edges.offset_db``); overrides reach them the same way.
    """

    catalog_ref: str = ""
    swerling_note: str = ""
    anchor: SignatureAnchor
    notional: bool
    pattern: SignaturePattern

    @model_validator(mode="after")
    def _ranges_name_numbers_of_the_pattern(self) -> SignatureType:
        for path in self.ranges:
            if "." in path and not isinstance(value_at(self, path), float):
                msg = f"ranges names {path!r}, which is not a number of this entry"
                raise ValueError(msg)
        return self
