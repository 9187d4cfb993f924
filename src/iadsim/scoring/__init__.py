"""Scoring of single runs: summaries, air-picture (SIAP) measures, per-post accounting."""
