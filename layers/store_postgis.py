"""The project store on PostgreSQL with PostGIS: one database per project.

The server counterpart of :class:`layers.store.GeoPackageStore`, behind the same
:class:`layers.store.Store` interface, for municipalities where several
organisations feed one situation picture. A project URL is a libpq URL,
``postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE``; the project's tables live in
the schema ``trygg`` of that database (:data:`SCHEMA`):

- ``reports`` — the report model (:data:`layers.schema.COLUMNS`), the point in
  ``geom`` (``geometry(Point, SRID)`` of the project CRS, GiST-indexed), a ``fid``
  (identity, the stored order, as a GeoPackage's feature id);
- ``rejects``, ``ingests``, ``runs``, ``links``, ``trygg_project`` — as in the
  GeoPackage (:data:`layers.store.TABLES`), typed columns;
- one table per analysis layer (a run's grid, the gazetteer …), its columns made
  from the frame written (text, bigint, double precision, boolean, timestamptz,
  ``geometry`` of the project SRID);
- ``_rasters`` — the GeoTIFFs of KDE runs as bytes (a GeoPackage keeps them beside
  the file); ``_members`` and ``_shares`` — who belongs to which organisation and
  which organisation shares its intern reports with which (see
  :mod:`layers.roles`). Tables starting with ``_`` are not layers.

Transactions are PostgreSQL transactions: a transaction block is one ``BEGIN`` …
``COMMIT``, so an interrupted write (an exception, a killed process, a lost
connection) leaves the project as it was. One writer at a time, as with the
GeoPackage: :meth:`PostGISStore.writing` holds a session-level advisory lock of the
database (:data:`LOCK_KEY`), waited for up to ``TRYGG_LOCK_TIMEOUT`` seconds; the
server releases it when the connection ends, also when the process is killed.
Readers take no lock and see the project before or after a transaction (MVCC).

Reads stream ``COPY (SELECT …) TO STDOUT`` as CSV into Arrow (one pass, no row
objects); writes are ``COPY … FROM STDIN``. Datetimes are stored as
``timestamptz`` and read back in UTC, exactly to the microsecond.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import time
import uuid
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from trygg.geo.crs import parse_crs
from trygg.geo.errors import ProjectError
from trygg.layers import schema
from trygg.layers._store_gpkg import Between, Where
from trygg.layers.roles import POLICY_TABLES, REJECTS_SQL

#: The schema of the database holding the project's tables.
SCHEMA = "trygg"
#: The version of the project's tables this code writes; see :data:`MIGRATIONS`.
SCHEMA_VERSION = 3
#: Key of the advisory lock a writer holds (any bigint; "trygg" in ASCII).
LOCK_KEY = 0x7472796767
#: Tables that are the project's own bookkeeping, not layers.
INTERNAL_PREFIX = "_"
URL_PREFIXES = ("postgresql://", "postgres://")

_SQL_TYPES = {"str": "text", "int": "bigint", "float": "double precision",
              "datetime": "timestamptz", "bool": "boolean"}


def is_url(project: object) -> bool:
    """True when ``project`` names a PostgreSQL project (a ``postgresql://`` URL)."""
    return isinstance(project, str) and project.startswith(URL_PREFIXES)


def safe_url(url: str) -> str:
    """``url`` without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


def _psycopg():
    import psycopg

    return psycopg


def _ident(*names: str):
    from psycopg import sql

    return sql.Identifier(*names)


def _table_exists(execute, table: str) -> bool:
    """True when the project's schema has ``table``; ``execute`` runs a query (a
    connection's or the store's ``execute``)."""
    return bool(execute("SELECT to_regclass(%s) IS NOT NULL",
                        (f'{SCHEMA}."{table}"',)).fetchone()[0])


def _first_line(exc: Exception) -> str:
    """The first line of the driver's message (the server's own words)."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _connect_error(url: str, exc: Exception) -> ProjectError:
    first = _first_line(exc)
    return ProjectError(
        f"Kan inte ansluta till projektet {safe_url(url)}: {first}. Kontrollera adressen, "
        "användaren och att servern är igång (scripts/postgis start startar en lokal).",
        f"Cannot connect to the project {safe_url(url)}: {first}. Check the address, the "
        "user and that the server is running (scripts/postgis start starts a local one).")


def connect(url: str, *, autocommit: bool = True):
    """A psycopg connection to ``url`` in UTC; a one-line :class:`ProjectError` when the
    server cannot be reached or refuses."""
    psycopg = _psycopg()
    try:
        conn = psycopg.connect(url, autocommit=autocommit, connect_timeout=10)
    except psycopg.Error as exc:
        raise _connect_error(url, exc) from None
    conn.execute("SET TIME ZONE 'UTC'")
    return conn


def database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    return name or (urlsplit(url).username or "postgres")


# -- columns ------------------------------------------------------------------
def _kind_of(series: pd.Series) -> str:
    """The stored kind of a frame column (see :data:`_SQL_TYPES`)."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    if pd.api.types.is_object_dtype(dtype):
        present = series.dropna()
        if len(present) and all(isinstance(v, bool | np.bool_) for v in present):
            return "bool"
        if len(present) and all(isinstance(v, datetime | pd.Timestamp) for v in present):
            return "datetime"
    return "str"


def _column_kinds(table: str, df: pd.DataFrame) -> dict[str, str]:
    """Column → stored kind for a frame written as ``table`` (geometry excluded)."""
    from trygg.layers.store import TABLES

    if table == "reports":
        return dict(schema.COLUMNS)
    if table in TABLES:
        return dict(TABLES[table])
    geometry = df.geometry.name if isinstance(df, gpd.GeoDataFrame) else None
    return {str(c): _kind_of(df[c]) for c in df.columns if c != geometry}


def _python_values(series: pd.Series, kind: str) -> list:
    """A column as Python values for ``COPY`` (``None`` for missing)."""
    if kind == "datetime":
        stamps = pd.to_datetime(series, utc=True)
        out = stamps.astype(object).tolist()
        return [None if v is pd.NaT or v is None else v.to_pydatetime() for v in out]
    if kind == "float":
        values = pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()
        return [None if v != v else float(v) for v in values]
    if kind == "int":
        if series.isna().any():
            return [None if pd.isna(v) else int(v) for v in series.tolist()]
        return [int(v) for v in series.to_numpy()]
    if kind == "bool":
        return [None if pd.isna(v) else bool(v) for v in series.tolist()]
    values = series.astype(object).tolist()
    return [None if v is None or (isinstance(v, float) and v != v) or v is pd.NA else str(v)
            for v in values]


def _ewkb(geoms, srid: int) -> list:
    arr = np.asarray(geoms, dtype=object)
    missing = shapely.is_missing(arr)
    out: list = [None] * len(arr)
    if (~missing).any():
        present = shapely.set_srid(arr[~missing], srid)
        hexes = shapely.to_wkb(present, hex=True, include_srid=True)
        for i, h in zip(np.flatnonzero(~missing), hexes, strict=True):
            out[int(i)] = h
    return out


# -- filters ------------------------------------------------------------------
def _where(where: Where | None):
    """A filter as a composed SQL condition and its parameters."""
    from psycopg import sql

    if not where:
        return sql.SQL("TRUE"), []
    parts, params = [], []
    for col, cond in where.items():
        name = _ident(col)
        if isinstance(cond, Between):
            for bound, op in ((cond.lo, ">="), (cond.hi, "<")):
                if bound is None:
                    continue
                parts.append(sql.SQL("{} {} %s").format(name, sql.SQL(op)))
                params.append(_bound(bound))
        else:
            values = [_bound(v) for v in cond]
            if not values:
                parts.append(sql.SQL("FALSE"))
                continue
            if all(isinstance(v, str) for v in values):
                parts.append(sql.SQL("{}::text = ANY(%s)").format(name))
            else:
                parts.append(sql.SQL("{} = ANY(%s)").format(name))
            params.append(values)
    return sql.SQL(" AND ").join(parts), params


def _bound(value: object) -> object:
    if isinstance(value, pd.Timestamp | np.datetime64 | datetime):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
        return stamp.to_pydatetime()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


# -- the store ----------------------------------------------------------------
class PostGISStore:
    """A project in a PostgreSQL database with PostGIS (see the module docstring).

    Open one with :func:`layers.store.open_project` (``postgresql://…``), create one
    with :func:`layers.store.create_project`.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self._conn = None
        self._meta: dict[str, str] | None = None
        self._lock_depth = 0
        self._in_transaction = False
        self._columns: dict[str, list[tuple[str, str]]] = {}
        self._rasters: Path | None = None

    @property
    def location(self) -> str:
        """Where the project is, as :func:`layers.store.open_project` takes it (the URL)."""
        return self.url

    def __repr__(self) -> str:
        return f"PostGISStore({safe_url(self.url)!r})"

    def __str__(self) -> str:
        return safe_url(self.url)

    # -- connection -----------------------------------------------------------
    @property
    def conn(self):
        """The store's connection (opened on first use; autocommit outside a transaction)."""
        if self._conn is None or self._conn.closed:
            self._conn = connect(self.url)
            self._conn.execute(f"SET search_path TO {SCHEMA}, public")
        return self._conn

    def close(self) -> None:
        """Close the connection (the store opens a new one when used again)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._rasters is not None:
            shutil.rmtree(self._rasters, ignore_errors=True)
            self._rasters = None

    def _execute(self, query, params=None):
        psycopg = _psycopg()
        try:
            return self.conn.execute(query, params)
        except psycopg.OperationalError as exc:
            raise _connect_error(self.url, exc) from None

    # -- reading --------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        if self._meta is None:
            rows = self._execute("SELECT key, value FROM trygg_project").fetchall()
            self._meta = {str(k): str(v) for k, v in rows}
        return dict(self._meta)

    @property
    def crs(self) -> str:
        """The project's working CRS, e.g. ``"EPSG:3006"``."""
        return self.meta().get("crs", "EPSG:3006")

    @property
    def srid(self) -> int:
        """The EPSG code of the project CRS (PostGIS SRID)."""
        return int(parse_crs(self.crs).to_epsg() or 0)

    @property
    def name(self) -> str:
        """The project's name (usually the municipality)."""
        return self.meta().get("name", database_name(self.url))

    @property
    def synthetic(self) -> bool:
        """True when the project holds synthetic (demo) data."""
        return self.meta().get("synthetic") == "1"

    def area(self) -> tuple[float, float, float, float]:
        """Project area bounds in the project CRS (see ``GeoPackageStore.area``)."""
        from trygg.geo.crs import crs_bounds

        area = self.meta().get("area")
        if area:
            return tuple(float(v) for v in json.loads(area))
        return crs_bounds(self.crs)

    def layers(self) -> list[str]:
        """Names of the project's tables and layers (bookkeeping tables left out)."""
        rows = self._execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
            "AND table_type = 'BASE TABLE' ORDER BY table_name", (SCHEMA,)).fetchall()
        return [str(r[0]) for r in rows if not str(r[0]).startswith(INTERNAL_PREFIX)]

    def _table_columns(self, table: str) -> list[tuple[str, str]]:
        """(column, PostgreSQL type) of ``table`` in order, ``fid`` included."""
        cached = self._columns.get(table)
        if cached is None:
            rows = self._execute(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON "
                "n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s AND "
                "a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                (SCHEMA, table)).fetchall()
            cached = [(str(a), str(t)) for a, t in rows]
            if not self._in_transaction:
                self._columns[table] = cached
        return cached

    def _no_layer(self, table: str) -> ProjectError:
        available = ", ".join(self.layers())
        return ProjectError(f"Projektet {self} har inget lager '{table}'. Finns: {available}.",
                            f"Project {self} has no layer '{table}'. Available: {available}.")

    def read(self, table: str, columns: list[str] | None = None, *,
             where: Where | None = None) -> pd.DataFrame:
        """Read a table or layer: ``reports`` and spatial layers as GeoDataFrames.

        Same parameters and results as ``GeoPackageStore.read``.
        """
        from trygg.layers.store import TABLES

        if table not in self.layers():
            raise self._no_layer(table)
        if table == "reports":
            return self.read_reports(columns, where=where)
        stored = [(c, t) for c, t in self._table_columns(table) if c != "fid"]
        geom = next((c for c, t in stored if t.startswith("geometry")), None)
        fields = [c for c, _ in stored if c != geom]
        chosen = fields if columns is None else [c for c in columns if c in fields]
        unknown = [] if columns is None else [c for c in columns if c not in fields]
        if unknown:
            raise ValueError(f"{table} has no column(s) {unknown}")
        types = dict(stored)
        frame = self._copy_out(table, [(c, types[c]) for c in chosen], geom=geom, where=where)
        if table in TABLES:
            for col, dtype in TABLES[table].items():
                if dtype == "datetime" and col in frame:
                    frame[col] = frame[col].dt.tz_convert(schema.TIMEZONE)
            return frame.drop(columns="geometry", errors="ignore")
        if geom is not None:
            geometry = frame.pop("geometry")
            return gpd.GeoDataFrame(frame, geometry=geometry, crs=self.crs)
        return frame

    def read_records(self, table: str, columns: list[str] | None = None, *,
                     where: Where | None = None) -> list[dict]:
        """The rows of one of the small tables as dicts, in stored order: one ``SELECT``,
        no DataFrame (the one-row reads of ``trygg serve``). Same parameters and values
        as ``GeoPackageStore.read_records``."""
        from psycopg import sql

        from trygg.layers.store import TABLES

        if table not in TABLES:
            raise ValueError(f"read_records reads the tables {sorted(TABLES)}, not {table!r}")
        fields = [c for c, _ in self._table_columns(table) if c != "fid"]
        if not fields:
            raise self._no_layer(table)
        chosen = fields if columns is None else list(columns)
        unknown = [c for c in chosen if c not in fields]
        if unknown:
            raise ValueError(f"{table} has no column(s) {unknown}")
        condition, params = _where(where)
        rows = self._execute(sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY fid").format(
            sql.SQL(", ").join(_ident(c) for c in chosen), _ident(SCHEMA, table),
            condition), params).fetchall()
        stamps = [i for i, c in enumerate(chosen) if TABLES[table].get(c) == "datetime"]
        out = []
        for row in rows:
            values = list(row)
            for i in stamps:
                if values[i] is not None:  # to the millisecond, as a GeoPackage keeps it
                    values[i] = pd.Timestamp(values[i]).floor("ms").tz_convert(
                        schema.TIMEZONE)
            out.append(dict(zip(chosen, values, strict=True)))
        return out

    def read_layer(self, name: str, columns: list[str] | None = None, *,
                   where: Where | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        """A layer of the project, or an empty frame when there is no layer ``name``."""
        if name not in self.layers():
            return pd.DataFrame()
        return self.read(name, columns, where=where)

    def read_reports(self, columns: list[str] | None = None, *,
                     where: Where | None = None) -> gpd.GeoDataFrame:
        """Reports as a GeoDataFrame in the project CRS with model dtypes (see
        ``GeoPackageStore.read_reports``)."""
        cols = list(schema.COLUMNS) if columns is None else list(columns)
        frame, x, y, present = self._reports_frame(cols, where)
        points = np.full(len(x), None, dtype=object)
        points[present] = shapely.points(x[present], y[present])
        frame["geometry"] = points
        return schema.conform(frame, crs=self.crs, columns=cols)

    def read_points(self, columns: list[str] | None = None, *,
                    where: Where | None = None):
        """The located reports as coordinate arrays (see ``GeoPackageStore.read_points``)."""
        from trygg.layers.store import ReportPoints

        cols = list(columns or [])
        frame, x, y, present = self._reports_frame(cols, where)
        frame = schema.conform(frame, crs=self.crs, columns=cols) if cols else pd.DataFrame(
            index=pd.RangeIndex(len(x)))
        frame = pd.DataFrame(frame.drop(columns="geometry", errors="ignore"))
        if not present.all():
            frame = frame[present].reset_index(drop=True)
        return ReportPoints(x=x[present], y=y[present], attributes=frame, crs=self.crs)

    def _reports_frame(self, cols: list[str], where: Where | None):
        unknown = [c for c in cols if c not in schema.COLUMNS]
        if unknown:
            raise ValueError(f"reports has no column(s) {unknown}")
        types = dict(self._table_columns("reports"))
        frame = self._copy_out("reports", [(c, types[c]) for c in cols], geom="geom",
                               where=where, xy=True)
        x = frame.pop("_x").to_numpy(dtype="float64", na_value=np.nan)
        y = frame.pop("_y").to_numpy(dtype="float64", na_value=np.nan)
        present = ~(np.isnan(x) | np.isnan(y))
        return frame, x, y, present

    def _copy_out(self, table: str, columns: list[tuple[str, str]], *, geom: str | None,
                  where: Where | None, xy: bool = False) -> pd.DataFrame:
        """``SELECT columns FROM table WHERE … ORDER BY fid`` streamed as CSV into Arrow."""
        import pyarrow as pa
        import pyarrow.csv as pacsv
        from psycopg import sql

        select, names, types = [], [], {}
        for col, pgtype in columns:
            name = f"c{len(names)}"
            names.append(name)
            if pgtype.startswith("timestamp"):
                select.append(sql.SQL("(extract(epoch FROM {}) * 1000000)::bigint").format(
                    _ident(col)))
                types[name] = pa.int64()
            elif pgtype in ("bigint", "integer", "smallint"):
                select.append(_ident(col))
                types[name] = pa.int64()
            elif pgtype in ("double precision", "real") or pgtype.startswith("numeric"):
                select.append(_ident(col))
                types[name] = pa.float64()
            elif pgtype == "boolean":
                select.append(_ident(col))
                types[name] = pa.bool_()
            else:
                select.append(sql.SQL("{}::text").format(_ident(col)))
                types[name] = pa.string()
        if geom is not None and xy:
            select += [sql.SQL("ST_X({})").format(_ident(geom)),
                       sql.SQL("ST_Y({})").format(_ident(geom))]
            names += ["_x", "_y"]
            types["_x"] = types["_y"] = pa.float64()
        elif geom is not None:
            select.append(sql.SQL("encode(ST_AsBinary({}), 'hex')").format(_ident(geom)))
            names.append("_g")
            types["_g"] = pa.string()
        condition, params = _where(where)
        query = sql.SQL("COPY (SELECT {} FROM {} WHERE {} ORDER BY fid) TO STDOUT "
                        "(FORMAT csv)").format(
            sql.SQL(", ").join(select) if select else sql.SQL("1"), _ident(SCHEMA, table),
            condition)
        buf = io.BytesIO()
        psycopg = _psycopg()
        try:
            with self.conn.cursor() as cur, cur.copy(query, params) as copy:
                for chunk in copy:
                    buf.write(chunk)
        except psycopg.OperationalError as exc:
            raise _connect_error(self.url, exc) from None
        if not select:
            n = buf.getvalue().count(b"\n")
            return pd.DataFrame(index=pd.RangeIndex(n))
        data = buf.getvalue()
        if not data:
            table_ = pa.table({n: pa.array([], type=types[n]) for n in names})
        else:
            table_ = pacsv.read_csv(
                io.BytesIO(data),
                read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
                parse_options=pacsv.ParseOptions(newlines_in_values=True),
                convert_options=pacsv.ConvertOptions(
                    column_types=types, null_values=[""], strings_can_be_null=True,
                    quoted_strings_can_be_null=False, true_values=["t"],
                    false_values=["f"]))
        return self._to_frame(table_, columns, names)

    @staticmethod
    def _to_frame(table, columns: list[tuple[str, str]], names: list[str]) -> pd.DataFrame:
        import pyarrow as pa

        out: dict[str, pd.Series] = {}
        n = table.num_rows
        for (col, pgtype), name in zip(columns, names, strict=False):
            column = table.column(name)
            if pgtype.startswith("timestamp"):
                # milliseconds, as a GeoPackage stores them (and pyogrio reads them)
                millis = pd.array(column.to_numpy(zero_copy_only=False), dtype="Int64")
                millis = millis // 1000
                out[col] = pd.Series(pd.to_datetime(millis, unit="ms", utc=True)).astype(
                    "datetime64[ms, UTC]")
            elif pa.types.is_string(column.type):  # pandas' str, as pyogrio reads text
                out[col] = pd.Series(pd.array(column, dtype="str")) if n else \
                    pd.Series([], dtype="str")
            elif pa.types.is_integer(column.type) and column.null_count:
                out[col] = pd.Series(column.to_numpy(zero_copy_only=False), dtype="float64")
            else:
                out[col] = pd.Series(column.to_numpy(zero_copy_only=False))
        frame = pd.DataFrame(out, index=pd.RangeIndex(n))
        if "_x" in table.column_names:
            frame["_x"] = table.column("_x").to_numpy(zero_copy_only=False)
            frame["_y"] = table.column("_y").to_numpy(zero_copy_only=False)
        if "_g" in table.column_names:
            hexes = np.asarray(table.column("_g").to_pylist(), dtype=object)
            geoms = np.full(n, None, dtype=object)
            present = np.array([h is not None for h in hexes], dtype=bool)
            if present.any():
                geoms[present] = shapely.from_wkb(hexes[present])
            frame["geometry"] = geoms
        return frame

    def report_ids(self) -> set[str]:
        """All ``report_id`` values in the store."""
        rows = self._execute("SELECT report_id FROM reports").fetchall()
        return {str(r[0]) for r in rows}

    def count(self, table: str = "reports") -> int:
        """Rows of ``table`` (0 when the project has no such table)."""
        if table not in self.layers():
            return 0
        from psycopg import sql

        return int(self._execute(sql.SQL("SELECT count(*) FROM {}").format(
            _ident(SCHEMA, table))).fetchone()[0])

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {name: self.count(name) for name in self.layers()}

    def fields(self, table: str) -> list[str]:
        """The columns of ``table`` in stored order (not ``fid``, not its geometry)."""
        return [c for c, t in self._table_columns(table)
                if c != "fid" and not t.startswith("geometry")]

    def read_parts(self, table: str, rows: int = 100_000, columns: list[str] | None = None
                   ) -> Iterator[pd.DataFrame]:
        """``table`` in parts of at most ``rows`` rows in stored order (by ``fid``)."""
        from psycopg import sql

        fids = [int(r[0]) for r in self._execute(sql.SQL("SELECT fid FROM {} ORDER BY fid")
                                                 .format(_ident(SCHEMA, table))).fetchall()]
        for start in range(0, len(fids), rows):
            hi = fids[start + rows] if start + rows < len(fids) else None
            yield self.read(table, columns, where={"fid": Between(fids[start], hi)})

    # -- rasters ----------------------------------------------------------------
    def raster_name(self, run_id: str, kind: str) -> str:
        """The name under which run ``run_id`` stores its ``kind`` raster."""
        return f"{_slug(database_name(self.url))}_{run_id}_{kind}.tif"

    def _raster_dir(self) -> Path:
        if self._rasters is None:
            self._rasters = Path(tempfile.mkdtemp(prefix="trygg-rasters-"))
            weakref.finalize(self, shutil.rmtree, str(self._rasters), True)
        return self._rasters

    def raster_path(self, name: str) -> Path | None:
        """The raster ``name`` as a GeoTIFF on this machine (fetched from the database into
        a temporary folder), or ``None`` when the project has no such raster."""
        if Path(name).name != name or not name.endswith(".tif"):
            return None
        row = self._execute("SELECT data FROM _rasters WHERE name = %s", (name,)).fetchone()
        if row is None:
            return None
        path = self._raster_dir() / name
        path.write_bytes(bytes(row[0]))
        return path

    @contextmanager
    def store_raster(self, name: str) -> Iterator[Path]:
        """Store a raster: write the GeoTIFF to the path this yields; it is saved in the
        project when the block ends without an exception."""
        if Path(name).name != name or not name.endswith(".tif"):
            raise ValueError(f"not a raster name of this project: {name!r}")
        tmp = self._raster_dir() / f".{name}.tmp.tif"
        try:
            yield tmp
            data = tmp.read_bytes()
            with self.transaction() as tx:
                tx._sql("DELETE FROM _rasters WHERE name = %s", (name,))
                tx._sql("INSERT INTO _rasters (name, data) VALUES (%s, %s)", (name, data))
        finally:
            tmp.unlink(missing_ok=True)

    def remove_rasters(self, names: list[str]) -> None:
        """Delete the rasters ``names``; missing ones are fine."""
        if names:
            with self.transaction() as tx:
                tx._sql("DELETE FROM _rasters WHERE name = ANY(%s)", (list(names),))

    def local_files(self) -> list[Path]:
        """A server store has no files on this machine."""
        return []

    # -- writing ------------------------------------------------------------
    @contextmanager
    def writing(self, timeout: float | None = None) -> Iterator[PostGISStore]:
        """Hold the project's write lock for the block (re-entrant on this object); see
        ``GeoPackageStore.writing``. The lock is an advisory lock of the database."""
        from trygg.layers.store import LOCK_TIMEOUT_ENV, lock_timeout

        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield self
            finally:
                self._lock_depth -= 1
            return
        wait = lock_timeout(timeout)
        deadline = time.monotonic() + wait
        while not self._execute("SELECT pg_try_advisory_lock(%s)", (LOCK_KEY,)).fetchone()[0]:
            if time.monotonic() >= deadline:
                raise ProjectError(
                    f"Projektet {self} är upptaget: ett annat trygg-kommando skriver i det. "
                    f"Försök igen när det är klart (väntade {wait:g} s; vänta längre med "
                    f"{LOCK_TIMEOUT_ENV}=SEKUNDER).",
                    f"The project {self} is busy: another trygg command is writing to it. "
                    f"Try again when it has finished (waited {wait:g} s; wait longer with "
                    f"{LOCK_TIMEOUT_ENV}=SECONDS).")
            time.sleep(0.05)
        self._lock_depth = 1
        try:
            self._meta = None
            yield self
        finally:
            self._lock_depth = 0
            if self._conn is not None and not self._conn.closed:
                try:
                    self._conn.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
                except _psycopg().Error:
                    self.close()  # a broken connection: closing it frees the lock

    @contextmanager
    def transaction(self, timeout: float | None = None, *, exclusive: bool = True
                    ) -> Iterator[_PGWriter]:
        """Write several tables as one unit (one PostgreSQL transaction): all of it lands,
        or none.

        Parameters
        ----------
        timeout
            Seconds to wait for the write lock (see :meth:`writing`).
        exclusive
            Take the project's write lock (the default). ``False`` for writes that only
            append rows nobody reads to decide a write (a resident's submission): they
            then run beside other writers, each still all or nothing.
        """
        if self._in_transaction:
            raise RuntimeError("transactions do not nest; write everything in one block")
        psycopg = _psycopg()
        with self.writing(timeout) if exclusive else nullcontext():
            self._in_transaction = True
            writer = _PGWriter(self)
            try:
                with self.conn.transaction():
                    yield writer
            except psycopg.OperationalError as exc:
                raise _write_error(self, exc) from None
            except psycopg.errors.InsufficientPrivilege as exc:
                raise _denied(self, exc) from None
            finally:
                self._in_transaction = False
                if exclusive or writer.changed_tables:
                    self._meta = None
                    self._columns = {}


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", text) or "trygg"


def _write_error(store: PostGISStore, exc: Exception) -> ProjectError:
    first = _first_line(exc)
    return ProjectError(
        f"Det gick inte att skriva projektet {store}: {first}. Projektet är oförändrat; "
        "kontrollera servern och försök igen.",
        f"Could not write the project {store}: {first}. The project is unchanged; check the "
        "server and try again.")


def _denied(store: PostGISStore, exc: Exception) -> ProjectError:
    first = _first_line(exc)
    if "row-level security" in first:
        return ProjectError(
            f"Användaren får bara lägga till rapporter för sin egen organisation i "
            f"projektet {store}, men raderna gäller en annan (kolumnen organisation). Ta bort "
            "kolumnen eller låt en användare från den organisationen läsa in filen; "
            "projektet är oförändrat.",
            f"The user may only add reports of its own organisation to the project {store}, "
            "but the rows are another's (the organisation column). Drop the column or let a "
            "user of that organisation ingest the file; the project is unchanged.")
    return ProjectError(
        f"Användaren får inte skriva detta i projektet {store}: {first}. Projektet är "
        "oförändrat; be projektets administratör om behörighet.",
        f"The user may not write this to the project {store}: {first}. The project is "
        "unchanged; ask the project's administrator for the permission.")


class _PGWriter:
    """The writes of one PostgreSQL transaction (see :meth:`PostGISStore.transaction`)."""

    def __init__(self, store: PostGISStore) -> None:
        self.store = store
        self.crs = store.crs
        #: A table was created or dropped (the store's cached columns are stale).
        self.changed_tables = False

    def _sql(self, query, params=None):
        return self.store.conn.execute(query, params)

    def _exists(self, table: str) -> bool:
        return _table_exists(self._sql, table)

    def append(self, table: str, df: pd.DataFrame) -> None:
        """Append rows to ``table`` (created from the frame when it does not exist)."""
        if not len(df):
            return
        if not self._exists(table):
            self._create(table, df)
        self._copy_in(table, df)

    def append_records(self, table: str, records: list[dict]) -> None:
        """Append a few rows given as dicts to one of the small tables (:data:`TABLES`):
        one ``INSERT``, no DataFrame (see ``GeoPackageStore``'s writer)."""
        from psycopg import sql

        from trygg.layers.store import TABLES, check_records

        check_records(table, records)
        if not records:
            return
        if not self.store._table_columns(table):  # not there yet: created by append
            self.append(table, pd.DataFrame(records))
            return
        spec = TABLES[table]
        names = list(spec)
        query = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
            _ident(SCHEMA, table), sql.SQL(", ").join(_ident(c) for c in names),
            sql.SQL(", ").join(sql.Placeholder() for _ in names))
        rows = [[_record_value(r.get(c), spec[c]) for c in names] for r in records]
        with self.store.conn.cursor() as cur:
            cur.executemany(query, rows)

    def replace(self, table: str, df: pd.DataFrame) -> None:
        """Create ``table`` or replace all of its rows with ``df``."""
        from psycopg import sql

        from trygg.layers.store import CORE_TABLES

        if self._exists(table):
            if table in CORE_TABLES:  # its definition, policies and grants stay
                self._sql(sql.SQL("DELETE FROM {}").format(_ident(SCHEMA, table)))
            else:
                self._sql(sql.SQL("DROP TABLE {}").format(_ident(SCHEMA, table)))
                self.changed_tables = True
                self._create(table, df)
        else:
            self._create(table, df)
        if len(df):
            self._copy_in(table, df)

    def delete(self, table: str, column: str, values) -> int:
        """Delete the rows of ``table`` whose ``column`` is one of ``values``; returns
        rows deleted."""
        from psycopg import sql

        values = sorted({str(v) for v in values})
        if not values:
            return 0
        cur = self._sql(sql.SQL("DELETE FROM {} WHERE {}::text = ANY(%s)").format(
            _ident(SCHEMA, table), _ident(column)), (values,))
        return int(cur.rowcount)

    def drop(self, table: str) -> None:
        """Remove the layer ``table`` (the core tables cannot be dropped)."""
        from psycopg import sql

        from trygg.layers.store import CORE_TABLES

        if table in CORE_TABLES:
            raise ValueError(f"refusing to drop the project table {table!r}")
        self._sql(sql.SQL("DROP TABLE IF EXISTS {}").format(_ident(SCHEMA, table)))
        self.changed_tables = True

    def vacuum(self) -> None:
        """Nothing to do: the server's autovacuum gives the space of dropped rows back."""

    # -- tables -------------------------------------------------------------------
    def _create(self, table: str, df: pd.DataFrame) -> None:
        from psycopg import sql

        self.changed_tables = True
        kinds = _column_kinds(table, df)
        cols = [sql.SQL("fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")]
        cols += [sql.SQL("{} {}").format(_ident(c), sql.SQL(_SQL_TYPES[k]))
                 for c, k in kinds.items()]
        spatial = table == "reports" or isinstance(df, gpd.GeoDataFrame)
        if spatial:
            gtype = "Point" if table == "reports" else "Geometry"
            cols.append(sql.SQL("geom geometry({}, {})").format(
                sql.SQL(gtype), sql.Literal(self.store.srid)))
        self._sql(sql.SQL("CREATE TABLE {} ({})").format(_ident(SCHEMA, table),
                                                         sql.SQL(", ").join(cols)))
        if spatial:
            self._sql(sql.SQL("CREATE INDEX ON {} USING gist (geom)").format(
                _ident(SCHEMA, table)))
        from trygg.layers import roles

        roles.own_tables(self.store.conn, table)

    def _copy_in(self, table: str, df: pd.DataFrame) -> None:
        from psycopg import sql

        from trygg.layers.store import TABLES, storage_frame, table_frame

        if table == "reports":
            schema.validate(df)
            frame = storage_frame(df)
        elif table in TABLES:
            frame = table_frame(df, TABLES[table])
        else:
            frame = df
        stored = dict(self.store._table_columns(table))
        kinds = {c: _stored_kind(stored[c]) for c in stored if c != "fid"
                 and not stored[c].startswith("geometry")}
        missing = [c for c in frame.columns if c not in kinds
                   and not (isinstance(frame, gpd.GeoDataFrame) and c == frame.geometry.name)]
        if missing:
            raise ValueError(f"{table} has no column(s) {missing}")
        names = [c for c in kinds if c in frame.columns]
        columns = [_python_values(frame[c], kinds[c]) for c in names]
        if "geom" in stored and isinstance(frame, gpd.GeoDataFrame):
            geo = frame.geometry
            if geo.crs is not None and geo.crs != self.crs:
                geo = geo.to_crs(self.crs)
            columns.append(_ewkb(geo.values, self.store.srid))
            names.append("geom")
        target = _ident(SCHEMA, table)
        column_list = sql.SQL(", ").join(_ident(c) for c in names)
        if table in POLICY_TABLES:
            # PostgreSQL refuses COPY into a table with row-level security for the users
            # it applies to: copy into a temporary table, then INSERT (the policies check
            # every row, and the organisation trigger fills it in).
            staging = _ident(f"_trygg_in_{uuid.uuid4().hex[:12]}")
            self._sql(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} "
                              "WITH NO DATA").format(staging, column_list, target))
            self._copy_rows(staging, column_list, columns)
            self._sql(sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {}").format(
                target, column_list, column_list, staging))
            self._sql(sql.SQL("DROP TABLE {}").format(staging))
        else:
            self._copy_rows(target, column_list, columns)

    def _copy_rows(self, target, column_list, columns: list[list]) -> None:
        from psycopg import sql

        query = sql.SQL("COPY {} ({}) FROM STDIN").format(target, column_list)
        with self.store.conn.cursor() as cur, cur.copy(query) as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)


def _record_value(value: object, kind: str) -> object:
    """A value of a record as the driver takes it for a column of ``kind``."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "datetime":
        return _bound(pd.Timestamp(value))
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return bool(value)
    return str(value)


def _stored_kind(pgtype: str) -> str:
    if pgtype.startswith("timestamp"):
        return "datetime"
    if pgtype in ("bigint", "integer", "smallint"):
        return "int"
    if pgtype in ("double precision", "real") or pgtype.startswith("numeric"):
        return "float"
    if pgtype == "boolean":
        return "bool"
    return "str"


# -- creating and opening ---------------------------------------------------------
def _core_ddl(srid: int) -> list[str]:
    from trygg.layers.store import TABLES

    def cols(spec: dict[str, str]) -> str:
        return ", ".join(f'"{c}" {_SQL_TYPES[k]}' for c, k in spec.items())

    ddl = [f"CREATE TABLE {SCHEMA}.reports (fid bigint GENERATED ALWAYS AS IDENTITY PRIMARY "
           f"KEY, {cols(schema.COLUMNS)}, geom geometry(Point, {srid}))",
           f"CREATE INDEX ON {SCHEMA}.reports USING gist (geom)",
           f"CREATE INDEX ON {SCHEMA}.reports (report_id)",
           f"CREATE INDEX ON {SCHEMA}.reports (reported_at)"]
    for table, spec in TABLES.items():
        ddl.append(f"CREATE TABLE {SCHEMA}.{table} (fid bigint GENERATED ALWAYS AS IDENTITY "
                   f"PRIMARY KEY, {cols(spec)})")
    ddl.append(f"CREATE INDEX ON {SCHEMA}.submissions (request_id)")
    ddl.append(f"CREATE TABLE {SCHEMA}._rasters (name text PRIMARY KEY, data bytea NOT NULL)")
    return ddl


#: Steps from one schema version to the next: version → SQL statements bringing a
#: project of version ``version - 1`` to ``version``. Version 1 is the first.
MIGRATIONS: dict[int, list[str]] = {
    # 2: the intake queue and the staff users of trygg serve (layers/intake.py)
    2: [f"CREATE TABLE IF NOT EXISTS {SCHEMA}.submissions (fid bigint GENERATED ALWAYS AS "
        "IDENTITY PRIMARY KEY, request_id text, service_code text, description text, "
        "address text, lat double precision, lon double precision, x double precision, "
        "y double precision, contact text, photo text, status text, report_id text, "
        "reason text, received_at timestamptz, updated_at timestamptz, moderated_by text, "
        "via text)",
        f"CREATE TABLE IF NOT EXISTS {SCHEMA}.staff (fid bigint GENERATED ALWAYS AS IDENTITY "
        "PRIMARY KEY, \"user\" text, password_hash text, created_at timestamptz)",
        f"REVOKE ALL ON {SCHEMA}.submissions, {SCHEMA}.staff FROM trygg_intern"],
    # 3: an intern user reads only the rejects of its organisation's ingests
    3: [REJECTS_SQL],
}


def _exists_error(url: str) -> ProjectError:
    return ProjectError(f"'{safe_url(url)}' har redan ett projekt. Välj en annan databas "
                        "eller ange --overwrite.",
                        f"'{safe_url(url)}' already holds a project. Choose another database "
                        "or pass --overwrite.")


def _ensure_database(url: str) -> None:
    """Create the database of ``url`` when it does not exist (needs CREATEDB)."""
    psycopg = _psycopg()
    try:
        psycopg.connect(url, connect_timeout=10).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise _connect_error(url, exc) from None
    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    conn = connect(admin)
    try:
        from psycopg import sql

        conn.execute(sql.SQL("CREATE DATABASE {}").format(_ident(database_name(url))))
    except psycopg.Error as exc:
        raise _connect_error(url, exc) from None
    finally:
        conn.close()


def create_postgis_project(url: str, meta: dict[str, str], *, overwrite: bool = False
                           ) -> PostGISStore:
    """Create the project's tables in the database of ``url`` (the database too when it
    does not exist), in one transaction. ``meta`` is the ``trygg_project`` table."""
    psycopg = _psycopg()
    _ensure_database(url)
    conn = connect(url)
    try:
        srid = int(parse_crs(meta["crs"]).to_epsg() or 0)
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            if _table_exists(conn.execute, "trygg_project") and not overwrite:
                raise _exists_error(url)
            conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            conn.execute(f"CREATE SCHEMA {SCHEMA}")
            for statement in _core_ddl(srid):
                conn.execute(statement)
            rows = {**meta, "schema_version": str(SCHEMA_VERSION)}
            with conn.cursor() as cur:
                cur.executemany(f"INSERT INTO {SCHEMA}.trygg_project (key, value) "
                                "VALUES (%s, %s)", list(rows.items()))
            from trygg.layers import roles

            roles.install(conn)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise _connect_error(url, exc) from None
    finally:
        conn.close()
    return PostGISStore(url)


def has_project(url: str) -> bool:
    """True when the database of ``url`` exists and holds a project (``ProjectError``
    when the server cannot be reached)."""
    psycopg = _psycopg()
    try:
        conn = psycopg.connect(url, connect_timeout=10, autocommit=True)
    except psycopg.OperationalError as exc:
        if "does not exist" in str(exc):
            return False
        raise _connect_error(url, exc) from None
    try:
        return _table_exists(conn.execute, "trygg_project")
    finally:
        conn.close()


def open_postgis_project(url: str) -> PostGISStore:
    """Open the project in the database of ``url``, bringing its tables to
    :data:`SCHEMA_VERSION` (:data:`MIGRATIONS`) when it is older.

    Raises
    ------
    ProjectError
        When the server cannot be reached, or the database holds no project.
    """
    store = PostGISStore(url)
    if not _table_exists(store._execute, "trygg_project"):
        store.close()
        raise ProjectError(f"Databasen {safe_url(url)} har inget Trygghetskartan-projekt. "
                           f"Skapa ett med: trygg init {safe_url(url)}",
                           f"The database {safe_url(url)} holds no Trygghetskartan project. "
                           f"Create one with: trygg init {safe_url(url)}")
    migrate_schema(store)
    return store


def migrate_schema(store: PostGISStore) -> int:
    """Bring the project's tables to :data:`SCHEMA_VERSION`; returns the version found.

    Raises
    ------
    ProjectError
        When the project was written by a newer trygg (a higher schema version).
    """
    found = int(store.meta().get("schema_version", "1"))
    if found > SCHEMA_VERSION:
        raise ProjectError(
            f"Projektet {store} har schemaversion {found}, nyare än denna trygg "
            f"({SCHEMA_VERSION}). Uppdatera trygg.",
            f"The project {store} has schema version {found}, newer than this trygg "
            f"({SCHEMA_VERSION}). Update trygg.")
    if found < SCHEMA_VERSION:
        with store.transaction() as tx:
            for version in range(found + 1, SCHEMA_VERSION + 1):
                for statement in MIGRATIONS.get(version, []):
                    tx._sql(statement)
            tx._sql("UPDATE trygg_project SET value = %s WHERE key = 'schema_version'",
                    (str(SCHEMA_VERSION),))
    return found

