"""Interoperability with other tools: optional packages, imported only when used."""
