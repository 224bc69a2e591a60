"""The project store: one GeoPackage per project.

Tables (DESIGN.md §5): ``reports`` (points in the project CRS), ``rejects`` (the
original row, file, line and reason), ``ingests`` (one row per ingested file),
``runs`` (analysis runs, added by later steps), ``trygg_project`` (name, CRS,
area) and one layer per analysis run.

Writes are transactional: :meth:`GeoPackageStore.transaction` stages new layers
beside the project and merges them in one SQLite transaction, or (for an
ingest, an undo, a removal) writes into a copy of the project and moves it over
the original only when every write succeeded; either way an interrupted write
leaves the project as it was. All storage
goes through :class:`Store`, so a server database can be added behind the same
small interface later.

One writer at a time: every transaction holds the project's write lock, an
exclusive ``flock`` on a hidden lock file beside the project
(``.NAME.gpkg.lock``, see :func:`lock_path`). The lock is on its own file, not
on the project, because a transaction replaces the project file by a rename:
a lock on the old file would not stop a writer that opens the new one. A
writer that reads before it decides (ingest reads the stored report ids to
find duplicates) holds :meth:`GeoPackageStore.writing` around the reads and the
transaction, so nothing it decided on can change under it. A second writer
waits up to :data:`LOCK_TIMEOUT_S` seconds (``TRYGG_LOCK_TIMEOUT`` or the
``timeout`` parameter change it) and then gets a "busy" :class:`ProjectError`.
The kernel releases the lock when its process ends, also on ``kill -9``; the
lock file stays (removing it would race with a waiting writer). Readers take
no lock: the rename is atomic, so each read sees the project before or after
a transaction.

Working copies left by a killed transaction (``.NAME.gpkg.xxxxxxxx.tmp.gpkg``)
are removed when the next writer holds the lock. Any ``OSError`` while copying
or writing (disk full, no permission, read-only folder) becomes a one-line
:class:`ProjectError`, the working copy is removed and the project is left
untouched.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import sqlite3
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyogrio.errors import DataLayerError, DataSourceError

from trygg.geo.crs import WORKING_CRS, crs_bounds, parse_crs
from trygg.geo.errors import ProjectError
from trygg.layers import _store_gpkg as _gpkg
from trygg.layers import schema

PROJECT_TABLE = "trygg_project"
FORMAT_VERSION = "1"
_GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
#: The GeoPackage version new project files are written as (GDAL's VERSION option):
#: 1.2, which GDAL since 2.2 opens without a warning (GDAL 3.6 on Debian 12 warns that
#: 1.4 "may only be partially supported").
GPKG_VERSION = "1.2"
# Writing through Arrow is 2-3x faster in pyogrio (pyarrow is a dependency).
_ARROW = True
#: Seconds a writer waits for another writer of the same project before it gives up.
LOCK_TIMEOUT_S = 10.0
#: Environment variable overriding :data:`LOCK_TIMEOUT_S` (seconds).
LOCK_TIMEOUT_ENV = "TRYGG_LOCK_TIMEOUT"
_LOCK_POLL_S = 0.05
#: Tables a transaction must never drop (the project itself).
CORE_TABLES = ("reports", "rejects", "ingests", "runs", "links", PROJECT_TABLE)

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
    # residents' submissions through trygg serve (layers/intake.py)
    "submissions": {"request_id": "str", "service_code": "str", "description": "str",
                    "address": "str", "lat": "float", "lon": "float", "x": "float",
                    "y": "float", "contact": "str", "photo": "str", "status": "str",
                    "report_id": "str", "reason": "str", "received_at": "datetime",
                    "updated_at": "datetime", "moderated_by": "str", "via": "str"},
    # staff users of trygg serve (layers/staff.py); passwords as Argon2id hashes
    "staff": {"user": "str", "password_hash": "str", "created_at": "datetime"},
}


def table_frame(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
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


def frame_records(frame: pd.DataFrame) -> list[dict]:
    """The rows of ``frame`` as dicts (column → value), missing values ``None``: what
    ``read_records`` gives."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def check_records(table: str, records: list[dict]) -> None:
    """Refuse records for ``append_records`` that are not for one of :data:`TABLES` or
    name a column the table does not have (``ValueError``)."""
    if table not in TABLES:
        raise ValueError(f"append_records writes the tables {sorted(TABLES)}, not {table!r}")
    unknown = sorted({k for r in records for k in r} - set(TABLES[table]))
    if unknown:
        raise ValueError(f"{table} has no column(s) {unknown}")


def storage_frame(reports: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reports as stored: datetimes in UTC, as the GeoPackage standard asks."""
    out = reports.copy()
    for col, dtype in schema.COLUMNS.items():
        if dtype == "datetime":
            out[col] = out[col].dt.tz_convert("UTC")
    return out


Between = _gpkg.Between
Where = _gpkg.Where


@dataclass
class ReportPoints:
    """Located reports as arrays (see :meth:`GeoPackageStore.read_points`).

    Attributes
    ----------
    x, y
        Coordinates in metres in ``crs``, one per report.
    attributes
        The report columns asked for, one row per point, model dtypes.
    crs
        The project CRS, e.g. ``"EPSG:3006"``.
    """

    x: np.ndarray
    y: np.ndarray
    attributes: pd.DataFrame
    crs: str

    def __len__(self) -> int:
        return len(self.x)

    def to_geodataframe(self) -> gpd.GeoDataFrame:
        """The points as a GeoDataFrame (the attributes and a point geometry)."""
        return gpd.GeoDataFrame(self.attributes.copy(),
                                geometry=shapely.points(self.x, self.y), crs=self.crs)


def _arrow_frame(table) -> pd.DataFrame:
    """A pyarrow table as a DataFrame: text as pandas' compact ``str``, datetimes as
    UTC timestamps (the caller conforms them)."""
    import pyarrow as pa

    out = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            out[name] = pd.Series(pd.array(column, dtype="str")) if len(column) else \
                pd.Series([], dtype="str")
        else:
            out[name] = column.to_pandas()
    return pd.DataFrame(out, index=pd.RangeIndex(table.num_rows))


def _points_xy(geom) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y and presence of the report points in an Arrow WKB column: decoded with numpy
    (:func:`layers._store_gpkg.decode_points`), else by shapely (not plain 2D points)."""
    decoded = _gpkg.decode_points(geom)
    if decoded is not None:
        return decoded
    geoms = shapely.from_wkb(np.asarray(geom.to_numpy(zero_copy_only=False), dtype=object))
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    x, y = np.full(len(geoms), np.nan), np.full(len(geoms), np.nan)
    x[present] = shapely.get_x(geoms[present])
    y[present] = shapely.get_y(geoms[present])
    return x, y, present


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
    """Writes of one transaction, staged or into a working copy of the project.

    A transaction starts *staged*: new layers (``replace`` of a table the
    project does not have) and rows appended to the small non-spatial tables
    (:data:`TABLES`) are written by GDAL into a staging GeoPackage beside the
    project and merged into it in one SQLite transaction at the end (see
    :mod:`layers._store_gpkg`); the project is not copied. The first write a
    staging file cannot take (appending reports, replacing an existing table,
    ``delete``, ``drop``, ``vacuum``) switches the transaction to a *working
    copy*: the project is copied, what was staged is merged into the copy, and
    the copy replaces the project when the block ends (``os.replace``).
    """

    def __init__(self, path: Path, crs: str, project: Path | None = None, *,
                 staged: bool = False) -> None:
        self.crs = crs
        self.project = project or path
        #: The file written directly: the working copy (``None`` while staged).
        self.path: Path | None = None if staged else path
        self._staging: Path | None = None
        self._ops: list[tuple[str, str, object]] = []
        self._staged_tables: set[str] = set()
        self._project_tables: set[str] | None = None
        self._vacuum = False

    # -- the writes ------------------------------------------------------------
    def append(self, table: str, df: pd.DataFrame) -> None:
        """Append rows to ``table`` (which must exist)."""
        if not len(df):
            return
        if self.path is None:
            if table.lower() in self._staged_tables:
                self._write(self._stage(), table, df, append=True)
                return
            if table in TABLES and table != PROJECT_TABLE and self._exists(table):
                # a few rows (a run's record): kept here, inserted by the merge
                self._ops.append(("rows", table, table_frame(df, TABLES[table])))
                return
            self._to_copy()
        self._write(self.path, table, df, append=True)

    def append_records(self, table: str, records: list[dict]) -> None:
        """Append a few rows given as dicts (column → value) to one of the small tables
        (:data:`TABLES`): the one-row writes of a web service. Same result as
        ``append(table, pd.DataFrame(records))``, which is what a GeoPackage does, but a
        column the table does not have is an error."""
        check_records(table, records)
        if records:
            self.append(table, pd.DataFrame(records))

    def replace(self, table: str, df: pd.DataFrame) -> None:
        """Create ``table`` or replace all of its rows with ``df``."""
        if self.path is None:
            if table.lower() in self._staged_tables or not self._exists(table):
                self._write(self._stage(), table, df, append=False)
                if table.lower() not in self._staged_tables:
                    self._staged_tables.add(table.lower())
                    self._ops.append(("new", table, table))
                return
            self._to_copy()
        self._write(self.path, table, df, append=False)

    def delete(self, table: str, column: str, values) -> int:
        """Delete the rows of ``table`` whose ``column`` is one of ``values``.

        Plain SQL on the working copy; the GeoPackage's own triggers keep the
        spatial index and GDAL's feature count in step. Returns rows deleted.
        """
        values = sorted({str(v) for v in values})
        if not values:
            return 0
        self._to_copy()
        with self._sql() as conn:
            conn.execute("CREATE TEMP TABLE _trygg_keys (v TEXT PRIMARY KEY)")
            conn.executemany("INSERT INTO _trygg_keys VALUES (?)", [(v,) for v in values])
            cur = conn.execute(f"DELETE FROM {_quote(table)} WHERE {_quote(column)} IN "
                               "(SELECT v FROM _trygg_keys)")
            return cur.rowcount

    def drop(self, table: str) -> None:
        """Remove the layer ``table`` and its GeoPackage bookkeeping.

        GDAL, through pyogrio, has no call to delete a layer, so this does what
        GDAL's ``DeleteLayer`` does for a GeoPackage, in one SQLite
        transaction: the spatial index (``rtree_<table>_<geom>``, an R*Tree
        virtual table), the rows about the table in ``gpkg_extensions``,
        ``gpkg_data_columns``, ``gpkg_metadata_reference``,
        ``gpkg_ogr_contents``, ``gpkg_geometry_columns`` and
        ``gpkg_contents``, then the table (its triggers go with it). The core
        tables of a project cannot be dropped.
        """
        if table in CORE_TABLES:
            raise ValueError(f"refusing to drop the project table {table!r}")
        self._to_copy()
        with self._sql() as conn:
            present = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if table not in present:
                return
            geoms = [r[0] for r in conn.execute(
                "SELECT column_name FROM gpkg_geometry_columns WHERE lower(table_name) = "
                "lower(?)", (table,))] if "gpkg_geometry_columns" in present else []
            for geom in geoms:
                rtree = f"rtree_{table}_{geom}"
                if rtree in present:
                    conn.execute(f"DROP TABLE {_quote(rtree)}")
            for meta in ("gpkg_extensions", "gpkg_data_columns", "gpkg_metadata_reference",
                         "gpkg_ogr_contents", "gpkg_geometry_columns", "gpkg_contents"):
                if meta in present:
                    conn.execute(f"DELETE FROM {meta} WHERE lower(table_name) = lower(?)",
                                 (table,))
            conn.execute(f"DROP TABLE {_quote(table)}")

    def vacuum(self) -> None:
        """Give the pages of dropped layers back to the file system (``VACUUM``)."""
        self._to_copy()
        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute("VACUUM")
        except sqlite3.Error as exc:
            raise _sqlite_error(self.project, exc) from None
        finally:
            conn.close()

    # -- staging and the working copy -----------------------------------------
    def _exists(self, table: str) -> bool:
        if self._project_tables is None:
            self._project_tables = {str(n).lower() for n, _ in
                                    pyogrio.list_layers(self.project)}
        return table.lower() in self._project_tables

    def _stage(self) -> Path:
        if self._staging is None:
            self._staging = _working_copy_path(self.project)
        return self._staging

    def _to_copy(self) -> None:
        """Switch to a working copy of the project (what was staged is merged into it)."""
        if self.path is not None:
            return
        tmp = _working_copy_path(self.project)
        self.path = tmp  # set first: the transaction removes it whatever happens
        try:
            shutil.copy2(self.project, tmp)
        except OSError as exc:
            raise write_error(self.project, exc) from None
        self._merge(tmp)

    def _merge(self, target: Path) -> None:
        """Merge the staged writes into ``target`` (one SQLite transaction)."""
        if not self._ops:
            return
        try:
            _gpkg.merge_staged(target, self._staging, self._ops)
        except sqlite3.Error as exc:
            raise _sqlite_error(self.project, exc) from None
        except OSError as exc:
            raise write_error(self.project, exc) from None
        self._ops = []
        self._staged_tables = set()

    def _commit(self) -> bool:
        """Land the staged writes in the project itself; True when the transaction
        wrote into a working copy instead (the caller moves it into place)."""
        if self.path is not None:
            return True
        _gpkg.recover(self.project)
        self._merge(self.project)
        return False

    def _files(self) -> list[Path]:
        """The working copy and staging file, to remove when the transaction ends."""
        return [p for p in (self._staging, self.path) if p is not None and p != self.project]

    @contextmanager
    def _sql(self):
        """A SQLite connection to the working copy, committed when the block ends."""
        conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                with suppress(sqlite3.Error):  # SQLite may have rolled back already
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _sqlite_error(self.project, exc) from None
        finally:
            conn.close()

    def _write(self, path: Path, table: str, df: pd.DataFrame, *, append: bool,
               kind: str | None = None) -> None:
        try:
            if path == self._staging:  # a scratch file: no journal, no waiting for the disk
                with _gdal_config(OGR_SQLITE_SYNCHRONOUS="OFF", OGR_SQLITE_JOURNAL="OFF"):
                    self._write_frame(path, table, df, append=append, kind=kind or table)
            else:
                self._write_frame(path, table, df, append=append, kind=kind or table)
        except OSError as exc:
            if isinstance(exc, ProjectError):
                raise
            raise write_error(self.project, exc) from None
        except (DataSourceError, DataLayerError) as exc:
            mapped = _gdal_write_error(self.project, exc)
            if mapped is None:
                raise
            raise mapped from None

    def _write_frame(self, path: Path, table: str, df: pd.DataFrame, *, append: bool,
                     kind: str) -> None:
        # a new file (the project, a staging file) is written as GPKG_VERSION
        new = {} if path.exists() else {"dataset_options": {"VERSION": GPKG_VERSION}}
        if kind == "reports":
            schema.validate(df)
            frame = storage_frame(df)
            pyogrio.write_dataframe(frame, path, layer=table, driver="GPKG",
                                    append=append, geometry_type="Point", promote_to_multi=False,
                                    use_arrow=_ARROW, **new)
        elif kind in TABLES:
            pyogrio.write_dataframe(table_frame(df, TABLES[kind]), path, layer=table,
                                    driver="GPKG", append=append, use_arrow=_ARROW, **new)
        elif isinstance(df, gpd.GeoDataFrame):
            frame = df if df.crs is not None and df.crs == self.crs else df.to_crs(self.crs)
            pyogrio.write_dataframe(frame, path, layer=table,
                                    driver="GPKG", append=append, use_arrow=_ARROW, **new)
        else:
            pyogrio.write_dataframe(df, path, layer=table, driver="GPKG", append=append, **new)


@contextmanager
def _gdal_config(**options: str):
    """Set GDAL configuration options for the block."""
    before = {k: pyogrio.get_gdal_config_option(k) for k in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(before)


class GeoPackageStore(Store):
    """A project stored in one GeoPackage file (the embedded default).

    Open an existing project with :func:`open_project`; create one with
    :func:`create_project`.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._meta: dict[str, str] | None = None
        self._lock_depth = 0
        self._in_transaction = False

    @property
    def location(self) -> str:
        """Where the project is, as :func:`open_project` takes it (the file's path)."""
        return str(self.path)

    def __str__(self) -> str:
        return str(self.path)

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

    def read(self, table: str, columns: list[str] | None = None, *,
             where: Where | None = None) -> pd.DataFrame:
        """Read a table or layer: ``reports`` and spatial layers as GeoDataFrames.

        Parameters
        ----------
        table
            A table or layer of the project (see :meth:`layers`).
        columns
            Columns to read (all when ``None``); a layer's geometry is always read.
        where
            A filter evaluated by the database (see :class:`Between`): column →
            allowed values, or a range.
        """
        available = self.layers()
        if table not in available:
            raise ProjectError(f"Projektet {self.path} har inget lager '{table}'. "
                               f"Finns: {', '.join(available)}.",
                               f"Project {self.path} has no layer '{table}'. "
                               f"Available: {', '.join(available)}.")
        if table == "reports":
            return self.read_reports(columns, where=where)
        df = pyogrio.read_dataframe(self.path, layer=table, columns=columns,
                                    where=_gpkg.where_sql(where))
        if table in TABLES:
            df = pd.DataFrame(df.drop(columns="geometry", errors="ignore"))
            for col, dtype in TABLES[table].items():
                if dtype == "datetime" and col in df:
                    df[col] = pd.to_datetime(df[col], utc=True).dt.tz_convert(schema.TIMEZONE)
        return df

    def read_records(self, table: str, columns: list[str] | None = None, *,
                     where: Where | None = None) -> list[dict]:
        """The rows of one of the small tables (:data:`TABLES`) as dicts, in stored order:
        the one-row reads of a web service, without a DataFrame on a server store.

        Same parameters as :meth:`read`; values as :meth:`read` gives them (datetimes as
        ``pandas.Timestamp`` in Europe/Stockholm, to the millisecond), missing ones
        ``None``.
        """
        return frame_records(self.read(table, columns, where=where))

    def read_layer(self, name: str, columns: list[str] | None = None, *,
                   where: Where | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        """A layer of the project (an analysis run's grid, the gazetteer …), or an empty
        frame when the project has no layer ``name``.

        Same parameters as :meth:`read`.
        """
        if name not in self.layers():
            return pd.DataFrame()
        return self.read(name, columns, where=where)

    def _arrow_reports(self, columns: list[str], where: Where | None, *,
                       geometry: bool = True):
        _gpkg.recover(self.path)
        meta, table = pyogrio.read_arrow(self.path, layer="reports", columns=columns,
                                         where=_gpkg.where_sql(where),
                                         read_geometry=geometry)
        geom = None
        if geometry:
            name = meta.get("geometry_name") or "wkb_geometry"
            geom = table.column(name)
            table = table.drop_columns([name])
        return table, geom

    def read_reports(self, columns: list[str] | None = None, *,
                     where: Where | None = None) -> gpd.GeoDataFrame:
        """Read reports as a GeoDataFrame in the project CRS with model dtypes.

        Parameters
        ----------
        columns
            Report columns to read, in this order (all when ``None``); the
            geometry is always read. Ask only for what is used: free text
            (``description``, ``place_text``, ``extra``) is most of the file.
        where
            A filter the database evaluates, e.g. ``{"category": ["klotter"],
            "reported_at": Between(since, until)}`` (see :class:`Between`).
        """
        cols = list(schema.COLUMNS) if columns is None else list(columns)
        table, geom = self._arrow_reports(cols, where)
        frame = _arrow_frame(table)
        x, y, present = _points_xy(geom)
        points = np.full(len(x), None, dtype=object)
        points[present] = shapely.points(x[present], y[present])
        frame["geometry"] = points
        return schema.conform(frame, crs=self.crs, columns=cols)

    def read_points(self, columns: list[str] | None = None, *,
                    where: Where | None = None) -> ReportPoints:
        """The located reports as coordinate arrays, without geometry objects: the
        fast path of the point analyses.

        Parameters
        ----------
        columns
            Report columns to read beside the coordinates (none when ``None``).
        where
            A filter the database evaluates (see :meth:`read_reports`).

        Returns
        -------
        ReportPoints
            ``x``, ``y`` (metres, project CRS) and the ``columns`` of each report
            that has a point; reports without one are left out.
        """
        cols = list(columns or [])
        table, geom = self._arrow_reports(cols, where)
        x, y, present = _points_xy(geom)
        frame = _arrow_frame(table)
        frame = schema.conform(frame, crs=self.crs, columns=cols) if cols else pd.DataFrame(
            index=pd.RangeIndex(len(x)))
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        if not present.all():
            frame = frame[present].reset_index(drop=True)
        return ReportPoints(x=x[present], y=y[present], attributes=frame, crs=self.crs)

    def report_ids(self) -> set[str]:
        """All ``report_id`` values in the store (cheap: reads one column)."""
        df = pyogrio.read_dataframe(self.path, layer="reports", columns=["report_id"],
                                    read_geometry=False)
        return set(df["report_id"].astype(str))

    def count(self, table: str = "reports") -> int:
        """Rows of ``table`` (0 when the project has no such table)."""
        if table not in self.layers():
            return 0
        return int(pyogrio.read_info(self.path, layer=table)["features"])

    def fields(self, table: str) -> list[str]:
        """The columns of ``table`` in stored order (its geometry not included)."""
        return [str(f) for f in pyogrio.read_info(self.path, layer=table)["fields"]]

    def read_parts(self, table: str, rows: int = 100_000, columns: list[str] | None = None
                   ) -> Iterator[pd.DataFrame]:
        """``table`` in parts of at most ``rows`` rows, in stored order (by feature id),
        each as :meth:`read` gives it: for exports that need not hold a large layer in
        memory. A part is read by a range of feature ids, so rows deleted in between
        only make a part smaller."""
        info = pyogrio.read_info(self.path, layer=table)
        fid = info.get("fid_column") or "fid"
        fids = np.sort(pyogrio.read_dataframe(self.path, layer=table, columns=[],
                                              read_geometry=False,
                                              fid_as_index=True).index.to_numpy())
        for start in range(0, len(fids), rows):
            hi = int(fids[start + rows]) if start + rows < len(fids) else None
            yield self.read(table, columns, where={fid: Between(int(fids[start]), hi)})

    # -- rasters beside the project (KDE surfaces) -------------------------
    def raster_name(self, run_id: str, kind: str) -> str:
        """The name under which run ``run_id`` stores its ``kind`` raster (``kde``)."""
        return f"{self.path.stem}_{run_id}_{kind}.tif"

    def raster_path(self, name: str) -> Path | None:
        """Where the raster ``name`` (from :meth:`raster_name`) lives on this machine, or
        ``None`` when the project has no such raster.

        For the GeoPackage store a GeoTIFF beside the project; only names of
        this project's rasters (a bare name starting with the project's stem,
        ending in ``.tif``) are accepted.
        """
        if not self._raster_name_ok(name):
            return None
        path = self.path.with_name(name)
        return path if path.is_file() else None

    def _raster_name_ok(self, name: str) -> bool:
        return (Path(name).name == name and name.startswith(f"{self.path.stem}_")
                and name.endswith(".tif"))

    @contextmanager
    def store_raster(self, name: str) -> Iterator[Path]:
        """Store a raster: write the GeoTIFF to the path this yields; it becomes the
        raster ``name`` when the block ends without an exception (an atomic rename;
        nothing is left on failure).
        """
        if not self._raster_name_ok(name):
            raise ValueError(f"not a raster name of this project: {name!r}")
        final = self.path.with_name(name)
        tmp = final.with_name(f".{name}.{uuid.uuid4().hex[:8]}.tmp.tif")
        try:
            yield tmp
            try:
                os.replace(tmp, final)
            except OSError as exc:
                raise write_error(final, exc) from None
        finally:
            _remove_quietly(tmp)

    def remove_rasters(self, names: list[str]) -> None:
        """Delete the rasters ``names``; missing ones are fine."""
        for name in names:
            if self._raster_name_ok(name):
                self.path.with_name(name).unlink(missing_ok=True)

    def local_files(self) -> list[Path]:
        """The files on this machine that hold the project (the GeoPackage), for
        commands that must not overwrite them; a server store has none."""
        return [self.path]

    def counts(self) -> dict[str, int]:
        return {name: int(pyogrio.read_info(self.path, layer=name)["features"])
                for name in self.layers()}

    # -- writing -----------------------------------------------------------
    @contextmanager
    def writing(self, timeout: float | None = None) -> Iterator[GeoPackageStore]:
        """Hold the project's write lock for the block (re-entrant on this object).

        Read what a write depends on inside the block, then write with
        :meth:`transaction`: no other writer can change the project between
        the reads and the write. Stale working copies of killed transactions
        are removed once the lock is held.

        Parameters
        ----------
        timeout
            Seconds to wait for another writer; default ``TRYGG_LOCK_TIMEOUT``
            or :data:`LOCK_TIMEOUT_S`.

        Raises
        ------
        ProjectError
            When another writer holds the lock longer than ``timeout`` ("busy"),
            or the lock file cannot be created (read-only folder).
        """
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield self
            finally:
                self._lock_depth -= 1
            return
        fd = acquire_lock(self.path, timeout)
        self._lock_depth = 1
        try:
            self._meta = None  # read again under the lock
            _gpkg.recover(self.path)
            remove_stale_copies(self.path)
            yield self
        finally:
            self._lock_depth = 0
            os.close(fd)  # releases the flock

    @contextmanager
    def transaction(self, timeout: float | None = None, *, exclusive: bool = True
                    ) -> Iterator[_Writer]:
        """Write several tables as one unit: all of it lands, or none.

        ``exclusive=False`` (writes that only append rows nobody reads to decide, such as
        a resident's submission) lets a server store run the transaction beside other
        writers; a GeoPackage has one writer at a time whatever it says.

        Takes the write lock (see :meth:`writing`; a transaction inside
        ``writing()`` uses the lock already held). New layers and rows for the
        small tables are staged beside the project and merged into it in one
        SQLite transaction when the block ends without an exception (no copy of
        the project: a hotspot run on a big project costs what it writes); any
        other write (reports, replacing or dropping a layer, deleting rows)
        switches to a working copy of the project, which atomically replaces
        the project file at the end. See :class:`_Writer`.

        Raises
        ------
        ProjectError
            When the project is busy, or the copy or a write fails with an
            ``OSError`` (disk full, no permission); the project is unchanged.
        """
        if self._in_transaction:
            raise RuntimeError("transactions do not nest; write everything in one block")
        with self.writing(timeout):
            self._in_transaction = True
            writer = _Writer(self.path, self.crs, project=self.path, staged=True)
            try:
                yield writer
                copied = writer._commit()
                if copied:
                    try:
                        _fsync(writer.path)
                        os.replace(writer.path, self.path)
                        _fsync(self.path.parent)
                    except OSError as exc:
                        raise write_error(self.path, exc) from None
            finally:
                self._in_transaction = False
                for path in writer._files():
                    _remove_quietly(path)
                self._meta = None


def lock_path(path: str | Path) -> Path:
    """The lock file of the project ``path``: ``.NAME.gpkg.lock`` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.lock")


def lock_timeout(timeout: float | None = None) -> float:
    """Seconds to wait for the lock: ``timeout``, else ``TRYGG_LOCK_TIMEOUT``, else
    :data:`LOCK_TIMEOUT_S`."""
    if timeout is not None:
        return float(timeout)
    text = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    try:
        return max(0.0, float(text)) if text else LOCK_TIMEOUT_S
    except ValueError:
        return LOCK_TIMEOUT_S


def acquire_lock(path: str | Path, timeout: float | None = None) -> int:
    """Take the exclusive write lock of the project ``path``; returns its file descriptor
    (close it to release the lock).

    Raises
    ------
    ProjectError
        When another process holds the lock longer than ``timeout`` seconds, or the
        lock file cannot be created.
    """
    path = Path(path)
    wait = lock_timeout(timeout)
    try:
        # Read-only is enough for flock and lets users who may not write the lock
        # file of another user still take it.
        fd = os.open(lock_path(path), os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o666)
    except OSError as exc:
        raise write_error(path, exc) from None
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise ProjectError(
                    f"Projektet {path} är upptaget: ett annat trygg-kommando skriver i det. "
                    f"Försök igen när det är klart (väntade {wait:g} s; vänta längre med "
                    f"{LOCK_TIMEOUT_ENV}=SEKUNDER).",
                    f"The project {path} is busy: another trygg command is writing to it. "
                    f"Try again when it has finished (waited {wait:g} s; wait longer with "
                    f"{LOCK_TIMEOUT_ENV}=SECONDS).") from None
            time.sleep(_LOCK_POLL_S)
        except OSError as exc:
            os.close(fd)
            raise write_error(path, exc) from None


def _copy_pattern(path: Path) -> re.Pattern:
    """Names of the working copies of ``path`` (and of older versions' copies, named
    after the stem)."""
    names = "|".join(re.escape(n) for n in dict.fromkeys((path.name, path.stem)))
    return re.compile(rf"^\.(?:{names})\.[0-9a-f]{{8}}\.tmp\.gpkg(?:-journal|-wal|-shm)?$")


def stale_copies(path: str | Path) -> list[Path]:
    """Working copies of ``path`` in its folder (stale when nobody holds the lock)."""
    path = Path(path)
    pattern = _copy_pattern(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return sorted(path.parent / n for n in names if pattern.match(n))


def remove_stale_copies(path: str | Path) -> list[Path]:
    """Remove the working copies killed or failed transactions left beside ``path``.

    Call only while holding the lock: then no transaction of this project is
    running. Returns the files removed.
    """
    removed = []
    for stale in stale_copies(path):
        if _remove_quietly(stale):
            removed.append(stale)
    return removed


def _remove_quietly(path: Path) -> bool:
    """Remove ``path`` and its SQLite side files; False when it was not there."""
    gone = False
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            Path(f"{path}{suffix}").unlink()
            gone = gone or suffix == ""
        except FileNotFoundError:
            pass
        except OSError:
            pass
    return gone


def _fsync(path: Path) -> None:
    """Flush ``path`` (a file or a folder) to disk, so a power cut after the rename
    finds the new content."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # folders on some file systems
            raise
    finally:
        os.close(fd)


_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def write_error(path: Path, exc: OSError) -> ProjectError:
    """The one-line message for an ``OSError`` while writing the project ``path``."""
    path = Path(path)
    if exc.errno in _FULL:
        return _full_error(path)
    if exc.errno in _DENIED:
        return _denied_error(path)
    reason = exc.strerror or str(exc)
    return ProjectError(
        f"Det gick inte att skriva projektet {path}: {reason}. Projektet är oförändrat; "
        "kontrollera disken och försök igen.",
        f"Could not write the project {path}: {reason}. The project is unchanged; check "
        "the disk and try again.")


def _full_error(path: Path) -> ProjectError:
    try:
        need = f" (minst {path.stat().st_size / 1e6:.0f} MB för arbetskopian)"
        need_en = f" (at least {path.stat().st_size / 1e6:.0f} MB for the working copy)"
    except OSError:
        need = need_en = ""
    return ProjectError(
        f"Det gick inte att skriva projektet {path}: disken är full. Frigör utrymme i "
        f"{path.parent}{need} och försök igen; projektet är oförändrat.",
        f"Could not write the project {path}: the disk is full. Free up space in "
        f"{path.parent}{need_en} and try again; the project is unchanged.")


def _denied_error(path: Path) -> ProjectError:
    return ProjectError(
        f"Det gick inte att skriva projektet {path}: mappen {path.parent} eller filen är "
        "skrivskyddad. Kontrollera behörigheterna (eller kopiera projektet till en mapp du "
        "får skriva i) och försök igen; projektet är oförändrat.",
        f"Could not write the project {path}: the folder {path.parent} or the file is "
        "read-only. Check the permissions (or copy the project to a folder you may write "
        "to) and try again; the project is unchanged.")


def _gdal_write_error(path: Path, exc: Exception) -> ProjectError | None:
    """The message for a GDAL or SQLite write failure that is the disk's fault, else
    ``None`` (a bug, raised as it is).

    GDAL often reports only its last error (e.g. a failed ``ROLLBACK`` after
    SQLite found the disk full), so the folder is probed: a test write of
    :data:`_PROBE_BYTES`, and the free space against the project's size.
    """
    text = str(exc).lower()
    if "disk is full" in text or "no space" in text or "too large" in text:
        return _full_error(path)
    if "readonly" in text or "read-only" in text or "permission denied" in text:
        return _denied_error(path)
    probe = _working_copy_path(path)  # named like a working copy: removed if left behind
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        try:
            left = memoryview(bytes(_PROBE_BYTES))
            while left:  # a write can be short when the disk fills up
                left = left[os.write(fd, left):]
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as probe_exc:
        return write_error(path, probe_exc)
    finally:
        _remove_quietly(probe)
    try:
        free = shutil.disk_usage(path.parent).free
        if free < max(_PROBE_BYTES * 16, path.stat().st_size):
            return _full_error(path)
    except OSError:
        pass
    if "disk i/o error" in text or "unable to open database" in text:
        return write_error(path, OSError(errno.EIO, "disk I/O error"))
    return None


#: Bytes of the test write that tells a full disk from other write failures.
_PROBE_BYTES = 1 << 20


def _sqlite_error(path: Path, exc: sqlite3.Error) -> Exception:
    return _gdal_write_error(path, exc) or exc


def _quote(name: str) -> str:
    """An SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def _working_copy_path(path: Path) -> Path:
    """A hidden file beside ``path`` for a transaction's writes (same file system,
    so the final move is atomic; ends in .gpkg as GDAL expects)."""
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp.gpkg")


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


def damage(path: str | Path) -> str | None:
    """What SQLite finds wrong with the project file ``path`` (opened read-only,
    ``PRAGMA quick_check``), or ``None`` when it is sound."""
    from urllib.parse import quote

    try:
        con = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)
    except (sqlite3.Error, OSError) as exc:
        return str(exc)
    try:
        rows = con.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        con.close()
    return None if rows == [("ok",)] else str(rows[0][0])


def open_project(path: str | Path) -> GeoPackageStore:
    """Open an existing project: a GeoPackage file, or a PostGIS database given as a
    ``postgresql://`` URL (:mod:`layers.store_postgis`).

    Raises
    ------
    ProjectError
        When the file is missing, is not a GeoPackage, or is a GeoPackage that
        ``trygg init`` did not create; when the server cannot be reached or the
        database holds no project.
    """
    from trygg.layers import store_postgis

    if store_postgis.is_url(path):
        return store_postgis.open_postgis_project(str(path))  # type: ignore[return-value]
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
    _gpkg.recover(path)  # a commit killed half way: roll it back before anyone reads
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
        File to create; must end in ``.gpkg``. Or a ``postgresql://`` URL: the project
        is made in that database (created when missing), see
        :mod:`layers.store_postgis`.
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
    from trygg.layers import store_postgis

    url = str(path) if store_postgis.is_url(path) else None
    path = Path(path)
    if url is None:
        _check_suffix(path)
    if url is None and path.exists() and not overwrite:
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
    if url is None and not path.parent.exists():
        try:
            path.parent.mkdir(parents=True)
        except OSError as exc:
            raise write_error(path, exc) from None
    meta = {
        "name": name or (path.stem if url is None else store_postgis.database_name(url)),
        "crs": crs_text, "format_version": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "synthetic": "1" if synthetic else "0",
    }
    if area is not None:
        meta["area"] = json.dumps([float(v) for v in area])
    if url is not None:
        return store_postgis.create_postgis_project(  # type: ignore[return-value]
            url, meta, overwrite=overwrite)
    fd = acquire_lock(path)  # --overwrite replaces a project another command may write
    tmp = _working_copy_path(path)
    try:
        remove_stale_copies(path)
        if path.exists() and not overwrite:  # created while we waited for the lock
            raise ProjectError(f"'{path}' finns redan. Välj ett annat namn eller ange "
                               "--overwrite.",
                               f"'{path}' already exists. Choose another name or pass "
                               "--overwrite.")
        writer = _Writer(tmp, crs_text, project=path)
        writer.replace("reports", schema.empty_reports(crs_text))
        for table in ("rejects", "ingests", "runs", "links", "submissions", "staff"):
            writer.replace(table, pd.DataFrame())
        writer.replace(PROJECT_TABLE, pd.DataFrame({"key": list(meta),
                                                    "value": list(meta.values())}))
        try:
            _fsync(tmp)
            os.replace(tmp, path)
        except OSError as exc:
            raise write_error(path, exc) from None
    finally:
        _remove_quietly(tmp)
        os.close(fd)
    return GeoPackageStore(path)
