"""The camera register (förteckning): every proposed, decided, installed and removed camera.

Since 1 April 2025 a municipality needs no permit for camera surveillance of public
places, but it must keep a register of its surveillance and the documentation five
years after the surveillance ends. The register is the project layer ``cameras``:
one row per camera with its status, purpose, dates and place; a change of status
records its date; :func:`due_for_deletion` lists the documentation whose five
years have passed.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.errors import ArgumentError
from trygg.layers.schema import TIMEZONE

__all__ = ["COLUMNS", "KEEP_YEARS", "STATUSES", "TABLE", "add_camera", "due_for_deletion",
           "read_register", "set_status"]

TABLE = "cameras"
#: Status codes in the order a camera passes through them.
STATUSES = ("proposed", "decided", "installed", "removed")
#: The date column each status sets.
STATUS_DATE = {"proposed": "proposed_at", "decided": "decided_at",
               "installed": "installed_at", "removed": "removed_at"}
#: Years the documentation is kept after the surveillance ends.
KEEP_YEARS = 5
COLUMNS = ("camera_id", "site_id", "camera_status", "purpose", "place_text", "hours",
           "direction", "range_m", "fov_deg", "run_id", "proposed_at", "decided_at",
           "installed_at", "removed_at", "keep_until", "note", "geometry")


def read_register(store) -> gpd.GeoDataFrame:
    """The register (empty, with its columns, when the project has none yet)."""
    if TABLE in store.layers():
        reg = store.read_layer(TABLE)
        for col in COLUMNS:
            if col not in reg:
                reg[col] = None
        return reg[list(COLUMNS)]
    return gpd.GeoDataFrame({c: pd.Series(dtype=object) for c in COLUMNS if c != "geometry"},
                            geometry=gpd.GeoSeries([], crs=store.crs), crs=store.crs)


def _date(value: str | pd.Timestamp | None, name: str) -> str:
    if value is None:
        return pd.Timestamp.now(tz=TIMEZONE).strftime("%Y-%m-%d")
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (ValueError, TypeError):
        raise ArgumentError(f"{name} ska vara ett datum som ÅÅÅÅ-MM-DD, inte '{value}'.",
                            f"{name} must be a date as YYYY-MM-DD, not '{value}'.") from None


def add_camera(store, point: tuple[float, float], *, purpose: str, site_id: str = "",
               place_text: str = "", status: str = "proposed",
               date: str | pd.Timestamp | None = None, hours: str = "",
               direction: float | None = None, range_m: float = 40.0,
               fov_deg: float = 360.0, run_id: str = "", note: str = "") -> str:
    """Add a camera to the register; returns its id (``KAM-001`` …).

    Parameters
    ----------
    point
        Where it is (x, y in the project CRS, metres).
    purpose
        What it is for (the documented problem), required.
    status, date
        Its status now (default ``proposed``) and the date of that status (default
        today).
    hours, direction, range_m, fov_deg, run_id, site_id, place_text, note
        What the planning run proposed, and free notes.
    """
    if status not in STATUSES:
        raise ArgumentError(f"Okänd status '{status}': välj {', '.join(STATUSES)}.",
                            f"Unknown status '{status}': choose {', '.join(STATUSES)}.")
    if not purpose.strip():
        raise ArgumentError("Ange kamerans syfte (vilket problem den ska motverka).",
                            "Give the camera's purpose (the problem it is to counter).")
    with store.transaction() as tx:
        reg = read_register(store)
        numbers = reg["camera_id"].astype(str).str.extract(r"(\d+)$")[0].dropna().astype(int)
        camera_id = f"KAM-{(numbers.max() if len(numbers) else 0) + 1:03d}"
        row = {c: None for c in COLUMNS if c != "geometry"}
        row.update(camera_id=camera_id, site_id=site_id, camera_status=status, purpose=purpose,
                   place_text=place_text, hours=hours,
                   direction=np.nan if direction is None else float(direction),
                   range_m=float(range_m), fov_deg=float(fov_deg), run_id=run_id, note=note)
        row[STATUS_DATE[status]] = _date(date, "--date")
        new = gpd.GeoDataFrame([row], geometry=[shapely.Point(point)], crs=store.crs)
        out = pd.concat([reg, new], ignore_index=True) if len(reg) else new
        tx.replace(TABLE, gpd.GeoDataFrame(_typed(out), crs=store.crs))
    return camera_id


def set_status(store, camera_id: str, status: str, *, date: str | pd.Timestamp | None = None,
               note: str | None = None) -> None:
    """Move a camera to ``status`` (forward only: proposed → decided → installed →
    removed) on ``date`` (default today); removal sets ``keep_until`` five years on."""
    if status not in STATUSES:
        raise ArgumentError(f"Okänd status '{status}': välj {', '.join(STATUSES)}.",
                            f"Unknown status '{status}': choose {', '.join(STATUSES)}.")
    with store.transaction() as tx:
        reg = read_register(store)
        hit = reg.index[reg["camera_id"] == camera_id]
        if len(hit) == 0:
            known = ", ".join(reg["camera_id"].astype(str)) or "inga"
            raise ArgumentError(f"Registret har ingen kamera {camera_id} (finns: {known}).",
                                f"The register has no camera {camera_id} (there are: "
                                f"{known.replace('inga', 'none')}).")
        i = hit[0]
        now = STATUSES.index(str(reg.at[i, "camera_status"]))
        if STATUSES.index(status) <= now:
            from trygg.layers.labels import label

            def names(lang: str) -> str:
                return " → ".join(label("camera_status", s, lang=lang).lower()
                                  for s in STATUSES)

            old = str(reg.at[i, "camera_status"])
            raise ArgumentError(
                f"Kameran {camera_id} är redan {label('camera_status', old).lower()}; status "
                f"går bara framåt ({names('sv')}).",
                f"The camera {camera_id} is already "
                f"{label('camera_status', old, lang='en').lower()}; the status only moves "
                f"forward ({names('en')}).")
        day = _date(date, "--date")
        earlier = [reg.at[i, STATUS_DATE[s]] for s in STATUSES[:STATUSES.index(status)]]
        latest = max((str(d) for d in earlier if isinstance(d, str) and d), default="")
        if latest and day < latest:
            raise ArgumentError(f"Datumet {day} ligger före kamerans förra ändring ({latest}).",
                                f"The date {day} is before the camera's last change "
                                f"({latest}).")
        reg.at[i, "camera_status"] = status
        reg.at[i, STATUS_DATE[status]] = day
        if status == "removed":
            reg.at[i, "keep_until"] = (pd.Timestamp(day) + pd.DateOffset(years=KEEP_YEARS)
                                       ).strftime("%Y-%m-%d")
        if note:
            old = reg.at[i, "note"]
            reg.at[i, "note"] = f"{old}\n{day}: {note}" if isinstance(old, str) and old else \
                f"{day}: {note}"
        tx.replace(TABLE, gpd.GeoDataFrame(_typed(reg), crs=store.crs))


def due_for_deletion(register: gpd.GeoDataFrame, today: str | pd.Timestamp | None = None
                     ) -> gpd.GeoDataFrame:
    """Removed cameras whose documentation has been kept its five years by ``today``."""
    day = _date(today, "today")
    keep = register["keep_until"]
    due = keep.notna() & (keep.astype(str) != "") & (keep.astype(str) <= day)
    return register[due.to_numpy()]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("direction", "range_m", "fov_deg"):
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in COLUMNS:
        if col not in ("geometry", "direction", "range_m", "fov_deg"):
            out[col] = out[col].astype(object).where(out[col].notna(), None)
    return out
