"""iadsim: an open simulator of integrated air and missile defence."""

__version__ = "0.1.0"
