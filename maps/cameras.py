"""What a camera run writes to a folder: the site table three ways and a basis per site.

``kameraplatser.csv`` (``;``, UTF-8 with BOM, as Swedish offices open it),
``kameraplatser.xlsx`` and ``kameraplatser.geojson`` through :mod:`maps.export` (the
same writers as every export), and ``kameraunderlag_<site>.html`` per chosen site
(:mod:`maps.camera_basis`).
"""

from __future__ import annotations

import re
from pathlib import Path

from trygg.layers.cameras.basis import site_facts
from trygg.layers.store import GeoPackageStore
from trygg.maps.camera_basis import write_camera_basis
from trygg.maps.export import export_layer

__all__ = ["basis_file_name", "safe_name", "write_camera_run"]

#: The table's file name (before the suffix), by language.
TABLE_NAMES = {"sv": "kameraplatser", "en": "camera_sites"}
BASIS_NAMES = {"sv": "kameraunderlag", "en": "camera_basis"}


def safe_name(value: object) -> str:
    """``value`` as part of a file name: letters, digits, ``_`` and ``-`` only."""
    return re.sub(r"[^0-9A-Za-zÅÄÖåäö_-]+", "_", str(value)).strip("_")[:60] or "plats"


def basis_file_name(site_id: object, lang: str = "sv") -> str:
    """``kameraunderlag_<site>.html`` with the site id made safe for a file name."""
    return f"{BASIS_NAMES['en' if lang == 'en' else 'sv']}_{safe_name(site_id)}.html"


def write_camera_run(store: GeoPackageStore, run_id: str, out: str | Path, *,
                     lang: str = "sv", bases: int | None = None) -> list[Path]:
    """Write the run's site table (.csv, .xlsx, .geojson) and a basis per chosen site
    (the first ``bases`` sites; default all) into the folder ``out``.

    Returns
    -------
    list of Path
        The files written.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    layer = f"camera_sites_{run_id}"
    stem = TABLE_NAMES["en" if lang == "en" else "sv"]
    written = [export_layer(store, layer, folder / f"{stem}{suffix}", force=True,
                            lang=lang).path for suffix in (".csv", ".xlsx", ".geojson")]
    sites = store.read_layer(layer, ["rank", "site_id"])
    seen: set[str] = set()
    for site_id in sites.sort_values("rank")["site_id"].astype(str).tolist()[:bases]:
        name = basis_file_name(site_id, lang)
        if name in seen:  # two ids that differ only in unsafe characters
            name = name.replace(".html", f"_{len(seen) + 1}.html")
        seen.add(name)
        written.append(write_camera_basis(site_facts(store, run_id, site_id),
                                          folder / name, lang=lang))
    return written
