"""Geodesy: frames, geodesic routes, earth curvature, terrain and line of sight."""
