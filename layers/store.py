"""The project store: one GeoPackage per project.

Tables (DESIGN.md §5): ``reports`` (points in the project CRS), ``rejects`` (the
original row, file, line and reason), ``ingests`` (one row per ingested file),
``runs`` (analysis runs, added by later steps), ``trygg_project`` (name, CRS,
area) and one layer per analysis run.

Writes are transactional: :meth:`GeoPackageStore.transaction` writes into a
copy of the project and moves it over the original only when every write
succeeded, so an interrupted ingest leaves the project as it was. All storage
goes through :class:`Store`, so a server database can be added behind the same
small interface later.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.crs import WORKING_CRS, crs_bounds, parse_crs
from geo.errors import ProjectError
from layers import schema

PROJECT_TABLE = "trygg_project"
FORMAT_VERSION = "1"
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
# Writing through Arrow is 2-3x faster in pyogrio (pyarrow is a dependency).
_ARROW = True

#: Non-spatial tables and their columns (all stored as text unless named here).
TABLES: dict[str, dict[str, str]] = {
    "rejects": {"ingest_id": "str", "file": "str", "sheet": "str", "line": "int",
                "reason": "str", "detail": "str", "row": "str"},
    "ingests": {"ingest_id": "str", "file": "str", "sha256": "str", "source": "str",
                "ingested_at": "datetime", "rows_read": "int", "reports_added": "int",
                "duplicates": "int", "rejected": "int", "params": "str", "summary": "str"},
    "runs": {"run_id": "str", "kind": "str", "created_at": "datetime", "params": "str",
             "inputs": "str", "layers": "str"},
    "links": {"report_id": "str", "linked_id": "str", "distance_m": "float", "reason": "str"},
    PROJECT_TABLE: {"key": "str", "value": "str"},
}


def _typed(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Return ``df`` with exactly ``columns`` in order and storage dtypes."""
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    for col, dtype in columns.items():
        values = df[col].reset_index(drop=True) if col in df else pd.Series([None] * len(df))
        if dtype == "datetime":
            out[col] = pd.to_datetime(values, utc=True)
        elif dtype == "int":
            out[col] = pd.to_numeric(values).astype("int64")
        elif dtype == "float":
            out[col] = pd.to_numeric(values).astype("float64")
        else:
            out[col] = values.astype(object).where(values.notna(), None)
    return out


def _to_storage(reports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reports as stored: datetimes in UTC, as the GeoPackage standard asks."""
    out = reports.copy()
    for col, dtype in schema.COLUMNS.items():
        if dtype == "datetime":
            out[col] = out[col].dt.tz_convert("UTC")
    return out


class Store(ABC):
    """The small interface every project store implements."""

    @abstractmethod
    def meta(self) -> dict[str, str]:
        """Project metadata: ``name``, ``crs``, ``created_at``, ``area`` …"""

    @abstractmethod
    def read(self, table: str, columns: list[str] | None = None) -> pd.DataFrame:
        """Read a whole table; ``reports`` and run layers as GeoDataFrames."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Rows per table."""

    @abstractmethod
    def transaction(self):
        """Context manager yielding a writer with ``append(table, df)`` and
        ``replace(table, df)``; all or nothing."""


class _Writer:
    """Writes into the working copy of a GeoPackage inside a transaction."""

    def __init__(self, path: Path, crs: str) -> None:
        self.path = path
        self.crs = crs

    def append(self, table: str, df: pd.DataFrame) -> None:
        """Append rows to ``table`` (which must exist)."""
        if len(df):
            self._write(table, df, append=True)

    def replace(self, table: str, df: pd.DataFrame) -> None:
        """Create ``table`` or replace all of its rows with ``df``."""
        self._write(table, df, append=False)

    def _write(self, table: str, df: pd.DataFrame, *, append: bool) -> None:
        if table == "reports":
            schema.validate(df)
            frame = _to_storage(df)
            pyogrio.write_dataframe(frame, self.path, layer=table, driver="GPKG",
                                    append=append, geometry_type="Point", promote_to_multi=False,
                                    use_arrow=_ARROW)
        elif table in TABLES:
            pyogrio.write_dataframe(_typed(df, TABLES[table]), self.path, layer=table,
                                    driver="GPKG", append=append, use_arrow=_ARROW)
        elif isinstance(df, gpd.GeoDataFrame):
            pyogrio.write_dataframe(df.to_crs(self.crs), self.path, layer=table,
                                    driver="GPKG", append=append)
        else:
            pyogrio.write_dataframe(df, self.path, layer=table, driver="GPKG", append=append)


class GeoPackageStore(Store):
    """A project stored in one GeoPackage file (the embedded default).

    Open an existing project with :func:`open_project`; create one with
    :func:`create_project`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._meta: dict[str, str] | None = None

    # -- reading -----------------------------------------------------------
    def meta(self) -> dict[str, str]:
        if self._meta is None:
            df = pyogrio.read_dataframe(self.path, layer=PROJECT_TABLE)
            self._meta = dict(zip(df["key"], df["value"], strict=True))
        return dict(self._meta)

    @property
    def crs(self) -> str:
        """The project's working CRS, e.g. ``"EPSG:3006"``."""
        return self.meta().get("crs", WORKING_CRS)

    @property
    def name(self) -> str:
        """The project's name (usually the municipality)."""
        return self.meta().get("name", self.path.stem)

    @property
    def synthetic(self) -> bool:
        """True when the project holds synthetic (demo) data."""
        return self.meta().get("synthetic") == "1"

    def area(self) -> tuple[float, float, float, float]:
        """Project area bounds in the project CRS (min x, min y, max x, max y).

        Points outside are rejected at ingest. Defaults to the CRS's area of use
        (Sweden for EPSG:3006) unless the project was created with an area.
        """
        area = self.meta().get("area")
        if area:
            return tuple(float(v) for v in json.loads(area))
        return crs_bounds(self.crs)

    def layers(self) -> list[str]:
        """Names of all tables and layers in the file."""
        return [str(name) for name, _ in pyogrio.list_layers(self.path)]

    def read(self, table: str, columns: list[str] | None = None) -> pd.DataFrame:
        if table not in self.layers():
            raise ProjectError(f"Projektet {self.path} har inget lager '{table}'. "
                               f"Finns: {', '.join(self.layers())}.",
                               f"Project {self.path} has no layer '{table}'. "
                               f"Available: {', '.join(self.layers())}.")
        if table == "reports":
            return self.read_reports(columns)
        df = pyogrio.read_dataframe(self.path, layer=table, columns=columns)
        if table in TABLES:
            df = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
            for col, dtype in TABLES[table].items():
                if dtype == "datetime" and col in df:
                    df[col] = pd.to_datetime(df[col], utc=True).dt.tz_convert(schema.TIMEZONE)
        return df

    def read_reports(self, columns: list[str] | None = None) -> gpd.GeoDataFrame:
        """Read reports as a GeoDataFrame in the project CRS with model dtypes.

        Parameters
        ----------
        columns
            Subset of report columns to read (all when ``None``); the geometry
            is always read.
        """
        df = pyogrio.read_dataframe(self.path, layer="reports", columns=columns)
        full = schema.conform(df, crs=self.crs)
        keep = list(schema.COLUMNS) if columns is None else list(columns)
        return full[[*keep, "geometry"]]

    def report_ids(self) -> set[str]:
        """All ``report_id`` values in the store (cheap: reads one column)."""
        df = pyogrio.read_dataframe(self.path, layer="reports", columns=["report_id"],
                                    read_geometry=False)
        return set(df["report_id"].astype(str))

    def counts(self) -> dict[str, int]:
        return {name: int(pyogrio.read_info(self.path, layer=name)["features"])
                for name in self.layers()}

    def find_ingest(self, sha256: str) -> dict | None:
        """The earlier ingest of a file with this SHA-256, or ``None``."""
        ingests = self.read("ingests")
        hit = ingests[ingests["sha256"] == sha256]
        return None if hit.empty else hit.iloc[0].to_dict()

    # -- writing -----------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[_Writer]:
        """Write several tables as one unit: all of it lands, or none.

        Writes go to a copy beside the project, which atomically replaces the
        project file when the block ends without an exception.
        """
        tmp = _working_copy_path(self.path)
        shutil.copy2(self.path, tmp)
        try:
            yield _Writer(tmp, self.crs)
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)
            self._meta = None


def _working_copy_path(path: Path) -> Path:
    """A hidden file beside ``path`` for a transaction's writes (same file system,
    so the final move is atomic; ends in .gpkg as GDAL expects)."""
    return path.with_name(f".{path.stem}.{uuid.uuid4().hex[:8]}.tmp.gpkg")


def _is_geopackage(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(72)
    except OSError:
        return False
    if len(head) < 72 or not head.startswith(b"SQLite format 3\x00"):
        return False
    return int.from_bytes(head[68:72], "big") == _GPKG_APPLICATION_ID


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() != ".gpkg":
        raise ProjectError(
            f"Projektet '{path}' måste vara en GeoPackage-fil som slutar på .gpkg, "
            f"t.ex. {path.with_suffix('.gpkg').name}.",
            f"The project '{path}' must be a GeoPackage file ending in .gpkg, "
            f"e.g. {path.with_suffix('.gpkg').name}.")


def open_project(path: str | Path) -> GeoPackageStore:
    """Open an existing project.

    Raises
    ------
    ProjectError
        When the file is missing, is not a GeoPackage, or is a GeoPackage that
        ``trygg init`` did not create.
    """
    path = Path(path)
    _check_suffix(path)
    if not path.exists():
        raise ProjectError(f"Projektet '{path}' finns inte. Skapa det med: trygg init {path}",
                           f"The project '{path}' does not exist. Create it with: "
                           f"trygg init {path}")
    if not _is_geopackage(path):
        raise ProjectError(f"'{path}' är ingen GeoPackage. Ange en projektfil som skapats "
                           "med trygg init.",
                           f"'{path}' is not a GeoPackage. Give a project file made with "
                           "trygg init.")
    store = GeoPackageStore(path)
    if PROJECT_TABLE not in store.layers():
        raise ProjectError(f"'{path}' är en GeoPackage men inget Trygghetskartan-projekt. "
                           f"Skapa ett nytt med: trygg init NYTT.gpkg",
                           f"'{path}' is a GeoPackage but not a Trygghetskartan project. "
                           "Create one with: trygg init NEW.gpkg")
    return store


def create_project(path: str | Path, *, name: str | None = None, crs: str = WORKING_CRS,
                   area: tuple[float, float, float, float] | None = None,
                   synthetic: bool = False, overwrite: bool = False) -> GeoPackageStore:
    """Create a new, empty project GeoPackage.

    Parameters
    ----------
    path
        File to create; must end in ``.gpkg``.
    name
        Project name shown on maps, e.g. ``"Norrtälje kommun"`` (default: file stem).
    crs
        Working CRS, a projected CRS in metres (default EPSG:3006, SWEREF 99 TM).
    area
        Project area (min x, min y, max x, max y) in ``crs``; points outside it
        are rejected at ingest. Default: the CRS's area of use.
    synthetic
        Mark the project as holding synthetic data (maps show a banner).
    overwrite
        Replace an existing file; without it an existing file is an error.

    Returns
    -------
    GeoPackageStore
    """
    path = Path(path)
    _check_suffix(path)
    if path.exists() and not overwrite:
        raise ProjectError(f"'{path}' finns redan. Välj ett annat namn eller ange --overwrite.",
                           f"'{path}' already exists. Choose another name or pass --overwrite.")
    parsed = parse_crs(crs)
    if not parsed.is_projected:
        raise ProjectError(f"Projektets koordinatsystem måste vara projicerat i meter, inte "
                           f"{crs}. Använd t.ex. --crs EPSG:3006.",
                           f"The project CRS must be projected in metres, not {crs}. "
                           "Use e.g. --crs EPSG:3006.")
    epsg = parsed.to_epsg()
    crs_text = f"EPSG:{epsg}" if epsg else parsed.to_wkt()
    if not path.parent.exists():
        path.parent.mkdir(parents=True)
    meta = {
        "name": name or path.stem, "crs": crs_text, "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "synthetic": "1" if synthetic else "0",
    }
    if area is not None:
        meta["area"] = json.dumps([float(v) for v in area])
    tmp = _working_copy_path(path)
    try:
        writer = _Writer(tmp, crs_text)
        writer.replace("reports", schema.empty_reports(crs_text))
        for table in ("rejects", "ingests", "runs", "links"):
            writer.replace(table, pd.DataFrame())
        writer.replace(PROJECT_TABLE, pd.DataFrame({"key": list(meta),
                                                    "value": list(meta.values())}))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return GeoPackageStore(path)
