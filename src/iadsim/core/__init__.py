"""Core: tables, random streams, units and user-facing errors shared by every domain."""
