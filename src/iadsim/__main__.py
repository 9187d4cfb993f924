"""``python -m iadsim``: the same command as ``iadsim``."""

from iadsim.cli import app

app()
