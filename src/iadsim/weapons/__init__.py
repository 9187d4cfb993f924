"""iadsim.weapons."""
