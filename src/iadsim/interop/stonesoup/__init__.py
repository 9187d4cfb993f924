"""Stone Soup (optional extra ``iadsim[stonesoup]``): conversions and a registered tracker.

``convert`` maps detections and track tables to Stone Soup types and back; ``tracker`` runs
Stone Soup's multi-target components behind the :class:`~iadsim.core.contracts.Tracker`
contract, registered as ``tracker: stonesoup``.
"""
