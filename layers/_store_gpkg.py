"""GeoPackage internals of :mod:`layers.store`: filters as SQL, point decoding, and
merging a staged transaction into the project in one SQLite transaction.

Part of the store (only :mod:`layers.store` imports it): nothing else in the
package may open the project file.

Staged transactions
-------------------
A transaction that only adds layers and appends rows to the small non-spatial
tables (a hotspot run: a grid layer and a row in ``runs``) does not copy the
project. GDAL writes the new layers into a small staging GeoPackage beside the
project; :func:`merge_staged` then copies them into the project inside one
SQLite transaction (``BEGIN IMMEDIATE`` … ``COMMIT``, rollback journal): the
tables with their GDAL-made definitions, rows, R*Tree spatial index, triggers
and GeoPackage bookkeeping (``gpkg_contents``, ``gpkg_geometry_columns``,
``gpkg_extensions``, ``gpkg_ogr_contents`` …). SQLite makes the commit atomic
and durable: killed half way, the hot journal is rolled back by the next
connection (:func:`recover`), and the project is as it was.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

#: GeoPackage bookkeeping tables with a ``table_name`` column, copied for new layers.
META_TABLES = ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions",
               "gpkg_ogr_contents", "gpkg_data_columns", "gpkg_metadata_reference")


@dataclass(frozen=True)
class Between:
    """A half-open range filter ``lo <= value < hi`` (either end ``None``: open).

    Datetimes compare as instants (timezone-aware values are converted to UTC;
    naive ones are taken as UTC).
    """

    lo: object = None
    hi: object = None


#: A filter on a table: column → allowed values (``IN``) or a :class:`Between` range.
Where = Mapping[str, "Sequence[object] | Between"]


def quote(name: str) -> str:
    """An SQL identifier in double quotes."""
    return '"' + name.replace('"', '""') + '"'


def _is_time(value: object) -> bool:
    return isinstance(value, pd.Timestamp | np.datetime64) or hasattr(value, "isoformat")


def _utc(value: object) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    return stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo is not None else stamp


def _subsecond(value: object) -> bool:
    return _is_time(value) and (_utc(value).microsecond or _utc(value).nanosecond) != 0


def _literal(value: object) -> str:
    if _is_time(value):
        stamp = _utc(value)
        # Stored datetimes are 'YYYY-MM-DDTHH:MM:SS[.sss]Z' (UTC); a bound with whole
        # seconds and no suffix compares correctly as text against both spellings.
        return "'" + stamp.strftime("%Y-%m-%dT%H:%M:%S") + "'"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | np.integer | np.floating):
        return repr(float(value)) if isinstance(value, float | np.floating) else str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


def where_sql(where: Where | None) -> str | None:
    """The SQL ``WHERE`` expression of a filter (``None`` for no filter).

    An empty list of allowed values matches nothing.
    """
    if not where:
        return None
    parts = []
    for col, cond in where.items():
        name = quote(col)
        if isinstance(cond, Between):
            for bound, op in ((cond.lo, ">="), (cond.hi, "<")):
                if bound is None:
                    continue
                if _subsecond(bound):  # compare in one spelling, with milliseconds
                    stamp = _utc(bound).strftime("%Y-%m-%dT%H:%M:%S.") + \
                        f"{_utc(bound).microsecond // 1000:03d}"
                    parts.append(f"strftime('%Y-%m-%dT%H:%M:%f', {name}) {op} '{stamp}'")
                else:
                    parts.append(f"{name} {op} {_literal(bound)}")
        else:
            values = list(cond)
            parts.append(f"{name} IN ({', '.join(map(_literal, values))})" if values else "0")
    return " AND ".join(parts) if parts else None


_POINT = np.dtype([("order", "u1"), ("type", "<u4"), ("x", "<f8"), ("y", "<f8")])


def decode_points(column) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """x, y and presence of a pyarrow binary column of 2D WKB points, without making
    shapely objects; ``None`` when a value is not a little-endian 2D point (the
    caller then decodes with shapely).

    Missing geometries (null or empty) get NaN and ``present = False``.
    """
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if pa.types.is_large_binary(column.type):
        column = column.cast(pa.binary())
    n = len(column)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    if n == 0:
        return x, y, np.zeros(0, bool)
    buffers = column.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[column.offset:column.offset + n + 1]
    lengths = np.diff(offsets)
    present = lengths > 0
    if column.null_count:
        present &= column.is_valid().to_numpy(zero_copy_only=False)
    if not present.any():
        return x, y, present
    if not np.all(lengths[present] == _POINT.itemsize):
        return None
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else None
    starts = offsets[:-1][present]
    if present.all() and int(offsets[-1] - offsets[0]) == n * _POINT.itemsize:
        raw = data[offsets[0]:offsets[-1]]
    else:
        idx = starts[:, None] + np.arange(_POINT.itemsize)[None, :]
        raw = data[idx].ravel()
    points = np.frombuffer(np.ascontiguousarray(raw).tobytes(), dtype=_POINT)
    if not (np.all(points["order"] == 1) and np.all(points["type"] == 1)):
        return None
    px, py = points["x"], points["y"]
    empty = np.isnan(px) & np.isnan(py)  # WKB's empty point: POINT (NaN NaN)
    x[present], y[present] = px, py
    if empty.any():
        present = present.copy()
        present[np.flatnonzero(present)[empty]] = False
    return x, y, present


def connect(path: Path) -> sqlite3.Connection:
    """A SQLite connection to ``path`` in autocommit mode (explicit ``BEGIN``)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=30.0)
    return conn


def recover(path: Path) -> None:
    """Roll back a hot journal a killed commit left (``NAME.gpkg-journal``).

    SQLite does this on the first read of a read-write connection; readers
    that open the file read-only (GDAL) cannot, so the store does it first.
    """
    if not Path(f"{path}-journal").exists():
        return
    try:
        conn = connect(path)
    except sqlite3.Error:
        return
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error:
        pass
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection, schema: str) -> set[str]:
    return {r[0] for r in conn.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table'")}


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f"PRAGMA {schema}.table_info({quote(table)})")]


def _copy_rows(conn: sqlite3.Connection, table: str, source: str, *,
               skip: Iterable[str] = ()) -> None:
    """Insert the rows of ``s.source`` into ``main.table``, matching columns by name."""
    skip = set(skip)
    main_cols = set(_columns(conn, "main", table))
    cols = [c for c in _columns(conn, "s", source) if c in main_cols and c not in skip]
    names = ", ".join(map(quote, cols))
    conn.execute(f"INSERT INTO main.{quote(table)} ({names}) SELECT {names} FROM "
                 f"s.{quote(source)}")


def _sql_value(value: object) -> object:
    """A value as GDAL stores it in a GeoPackage (datetimes: UTC text with milliseconds)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        stamp = value.tz_convert("UTC") if value.tzinfo is not None else value
        return stamp.strftime("%Y-%m-%dT%H:%M:%S.") + f"{stamp.microsecond // 1000:03d}Z"
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _insert_rows(conn: sqlite3.Connection, table: str, df: pd.DataFrame) -> None:
    """Insert the rows of ``df`` into ``main.table`` (columns matched by name)."""
    present = set(_columns(conn, "main", table))
    cols = [c for c in df.columns if c in present]
    if not cols or not len(df):
        return
    rows = [tuple(_sql_value(v) for v in row) for row in
            df[cols].astype(object).itertuples(index=False, name=None)]
    conn.executemany(f"INSERT INTO main.{quote(table)} ({', '.join(map(quote, cols))}) "
                     f"VALUES ({', '.join('?' * len(cols))})", rows)


def _copy_new_table(conn: sqlite3.Connection, table: str, main_tables: set[str]) -> None:
    """Create ``table`` in main as it is in the staging file ``s``, with its rows,
    spatial index, triggers and GeoPackage bookkeeping."""
    key = table.lower()
    rtree_prefix = f"rtree_{key}_"
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM s.sqlite_master "
                        "WHERE sql IS NOT NULL").fetchall()
    mine = [r for r in rows if r[2].lower() == key or r[2].lower().startswith(rtree_prefix)]
    rtrees = [r[1] for r in mine if r[0] == "table" and r[1].lower().startswith(rtree_prefix)
              and r[3].upper().startswith("CREATE VIRTUAL TABLE")]
    shadow = {f"{t}_{part}".lower() for t in rtrees for part in ("node", "parent", "rowid")}
    tables = [r for r in mine if r[0] == "table" and r[1].lower() not in shadow]
    for _, _, _, sql in tables:
        conn.execute(sql)
    for name in [r[1] for r in tables if r[1] not in rtrees]:
        conn.execute(f"INSERT INTO main.{quote(name)} SELECT * FROM s.{quote(name)}")
    for rtree in rtrees:
        # The R*Tree as GDAL packed it: its shadow tables copied as they are (inserting
        # row by row through the virtual table would rebuild it, ten times slower).
        for part in ("node", "parent", "rowid"):
            shadow_name = quote(f"{rtree}_{part}")
            conn.execute(f"DELETE FROM main.{shadow_name}")
            conn.execute(f"INSERT INTO main.{shadow_name} SELECT * FROM s.{shadow_name}")
    for kind, _, _, sql in mine:
        if kind in ("index", "trigger"):
            conn.execute(sql)
    for meta in META_TABLES:
        if meta not in _tables(conn, "s"):
            continue
        if meta not in main_tables:
            sql = conn.execute("SELECT sql FROM s.sqlite_master WHERE type = 'table' AND "
                               "name = ?", (meta,)).fetchone()[0]
            conn.execute(sql)
            main_tables.add(meta)
        cols = [c for c in _columns(conn, "s", meta) if c in set(_columns(conn, "main", meta))]
        names = ", ".join(map(quote, cols))
        conn.execute(f"INSERT OR REPLACE INTO main.{meta} ({names}) SELECT {names} FROM "
                     f"s.{meta} WHERE lower(table_name) = ?", (key,))
    if "gpkg_spatial_ref_sys" in main_tables:
        conn.execute("INSERT OR IGNORE INTO main.gpkg_spatial_ref_sys SELECT * FROM "
                     "s.gpkg_spatial_ref_sys WHERE srs_id IN (SELECT srs_id FROM "
                     "s.gpkg_contents WHERE lower(table_name) = ?)", (key,))


def merge_staged(target: Path, staging: Path | None, ops: list[tuple[str, str, object]]
                 ) -> None:
    """Apply the staged writes ``ops`` to the GeoPackage ``target`` in one SQLite
    transaction.

    Parameters
    ----------
    target
        The project (or a working copy of it).
    staging
        The staging GeoPackage GDAL wrote the new layers and appended rows into.
    ops
        ``("new", table, table)``: ``table`` is new in ``staging``, copy it whole;
        ``("rows", table, frame)``: insert the rows of the DataFrame ``frame`` into
        the existing non-spatial ``table``;
        ``("append", table, staged)``: append the rows of the staging table
        ``staged`` to the existing ``table`` (a table without a spatial index).

    Raises
    ------
    sqlite3.Error
        When SQLite fails (disk full …); nothing of ``ops`` is applied.
    """
    if not ops:
        return
    conn = connect(target)
    try:
        if staging is not None:
            conn.execute("ATTACH DATABASE ? AS s", (str(staging),))
        conn.execute("BEGIN IMMEDIATE")
        try:
            main_tables = _tables(conn, "main")
            for op, table, staged in ops:
                if op == "new":
                    _copy_new_table(conn, table, main_tables)
                    main_tables.add(table)
                elif op == "rows":
                    _insert_rows(conn, table, staged)
                else:
                    _copy_rows(conn, table, staged, skip=("fid",))
                    if "gpkg_contents" in main_tables:
                        conn.execute("UPDATE main.gpkg_contents SET last_change = "
                                     "strftime('%Y-%m-%dT%H:%M:%fZ', 'now') "
                                     "WHERE lower(table_name) = lower(?)", (table,))
            conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
            raise
        if staging is not None:
            conn.execute("DETACH DATABASE s")
    finally:
        conn.close()
