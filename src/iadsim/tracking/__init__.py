"""iadsim.tracking: filters, gating, association, track management and metrics on track tables.

Entry points: :class:`iadsim.tracking.table.TrackTable`,
:class:`iadsim.tracking.tracker.GnnTracker` / :class:`~iadsim.tracking.tracker.TrackerConfig`,
:class:`iadsim.tracking.jpda.JpdaTracker`,
:func:`iadsim.tracking.measurements.converted_measurement`,
:func:`iadsim.tracking.metrics.gospa`. See ``docs/models/tracking.md``.
"""
