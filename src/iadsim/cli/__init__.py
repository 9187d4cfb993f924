"""The ``iadsim`` command line (entry point ``iadsim.cli:app``)."""

from iadsim.cli.app import app

__all__ = ["app"]
