"""Hotspot analytics: one function per method, the points first, every default visible.

- ``hotspot_count`` — weighted counts per cell (``count``).
- ``hotspot_kde`` — kernel density per cell and as a GeoTIFF (``kde``).
- ``hotspot_gistar`` — Getis-Ord Gi* with FDR-adjusted p-values (``gistar``).
- ``hotspot_clusters`` — hotspot polygons from DBSCAN/HDBSCAN or Gi* cells (``clusters``).
- ``hotspot_change`` — two periods compared per cell (``change``).
- ``hotspot_emerging`` — space-time trends, ArcGIS's emerging hot spot classes (``emerging``).
- ``hotspot_divergence`` — where perceived unsafety and crime disagree (``divergence``).
"""

from trygg.layers.hotspots.change import hotspot_change
from trygg.layers.hotspots.clusters import hotspot_clusters
from trygg.layers.hotspots.count import hotspot_count
from trygg.layers.hotspots.divergence import hotspot_divergence
from trygg.layers.hotspots.emerging import hotspot_emerging
from trygg.layers.hotspots.gistar import hotspot_gistar
from trygg.layers.hotspots.kde import hotspot_kde, kde_raster, write_geotiff

__all__ = ["hotspot_change", "hotspot_clusters", "hotspot_count", "hotspot_divergence",
           "hotspot_emerging", "hotspot_gistar", "hotspot_kde", "kde_raster", "write_geotiff"]
