"""Sourced catalog of radars, launchers, interceptors, command posts and air platforms."""

from iadsim.catalog.loader import Catalog, CatalogError, CatalogOverrideError, load_catalog

__all__ = ["Catalog", "CatalogError", "CatalogOverrideError", "load_catalog"]
