"""iadsim.engine."""
