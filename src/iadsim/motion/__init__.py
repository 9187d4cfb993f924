"""Motion models: waypoint routes (geodesic) and ballistic flights."""
