"""Motion models: waypoint routes (geodesic), later ballistic and cruise profiles."""
