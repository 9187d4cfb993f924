"""Studies: named variants of a base scenario, run with common random numbers, compared in pairs."""
