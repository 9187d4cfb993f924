"""iadsim.sensors."""
