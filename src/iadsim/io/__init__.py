"""iadsim.io."""
