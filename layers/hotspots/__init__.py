"""Hotspot analytics: one function per method, the points first, every default visible.

- ``hotspot_count`` — weighted counts per cell (``count``).
- ``hotspot_kde`` — kernel density per cell and as a GeoTIFF (``kde``).
- ``hotspot_gistar`` — Getis-Ord Gi* with FDR-adjusted p-values (``gistar``).
- ``hotspot_clusters`` — hotspot polygons from DBSCAN/HDBSCAN or Gi* cells (``clusters``).
- ``hotspot_change`` — two periods compared per cell (``change``).
- ``hotspot_emerging`` — space-time trends, ArcGIS's emerging hot spot classes (``emerging``).
- ``hotspot_divergence`` — where perceived unsafety and crime disagree (``divergence``).
"""

from __future__ import annotations

import importlib

#: Where each public function lives; imported on first use, so that running one
#: method (``trygg hotspots --method gistar``) does not import the others (scipy.stats).
_WHERE = {
    "hotspot_change": "change", "hotspot_clusters": "clusters", "hotspot_count": "count",
    "hotspot_divergence": "divergence", "hotspot_emerging": "emerging",
    "hotspot_gistar": "gistar", "hotspot_kde": "kde", "kde_raster": "kde",
    "write_geotiff": "kde",
}

__all__ = ["hotspot_change", "hotspot_clusters", "hotspot_count", "hotspot_divergence",
           "hotspot_emerging", "hotspot_gistar", "hotspot_kde", "kde_raster", "write_geotiff"]


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
