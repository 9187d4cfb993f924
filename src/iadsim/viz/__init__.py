"""iadsim.viz."""
