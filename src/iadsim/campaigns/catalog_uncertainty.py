"""The catalog's disputed figures as ranges for ``iadsim mc --sample-uncertainty``.

Every catalog entry keeps, under ``ranges``, the spread that public sources report for
fields where they disagree. This turns them into the ``{"<entry>.<field>": (low, high,
scale)}`` ranges that :func:`iadsim.campaigns.uncertainty.latin_hypercube_points` samples.
Only real-valued fields are sampled (channel counts stay as published). An air platform's
RCS is sampled as its ``rcs_scale`` (the multiplier that also scales its signature tables),
uniformly in the logarithm since RCS figures span decades. A signature's ranges name figures
inside its pattern by dotted path (``f35a.pattern.lobes.leading_edges.offset_db``: a lobe's
level in dB, a band's nose-on offset, a lobe centre), sampled linearly.
"""

from __future__ import annotations

from iadsim.catalog import Catalog
from iadsim.catalog.models import AirPlatformType, value_at


def catalog_uncertainty_ranges(
    catalog: Catalog, keys: list[str] | None = None
) -> dict[str, tuple[float, float, str]]:
    """Ranges of the disputed real-valued figures of the catalog.

    Parameters
    ----------
    catalog : Catalog
    keys : list of str, optional
        Only these entries (e.g. the ones a scenario uses); default all.

    Returns
    -------
    dict
        ``"<entry>.<field>" -> (low, high, "linear" | "log")``.
    """
    ranges: dict[str, tuple[float, float, str]] = {}
    for _, key, entry in catalog.entries():
        if keys is not None and key not in keys:
            continue
        for field, (low, high) in entry.ranges.items():
            if field == "rcs_m2" and isinstance(entry, AirPlatformType):
                ranges[f"{key}.rcs_scale"] = (low / entry.rcs_m2, high / entry.rcs_m2, "log")
            elif "." in field:
                if isinstance(value_at(entry, field), float) and low < high:
                    ranges[f"{key}.{field}"] = (float(low), float(high), "linear")
            elif type(entry).model_fields[field].annotation is float and low < high:
                ranges[f"{key}.{field}"] = (float(low), float(high), "linear")
    return ranges
