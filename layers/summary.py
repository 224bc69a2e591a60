"""What a project holds: counts per source and category, rejects, ingests.

Used by ``trygg info``; every number comes from the store, and the totals
check that each row read is a report, a duplicate or a reject.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from trygg.layers.store import GeoPackageStore


@dataclass
class ProjectSummary:
    """Counts of a project.

    Attributes
    ----------
    by_source_category
        Reports per source (rows) and category (columns), with zeros.
    rejects_by_reason
        Rejected rows per reason code.
    ingests
        One row per ingested file: file, source, rows read, added, duplicates,
        rejected, time.
    rows_read, reports, duplicates, rejected
        Totals; ``rows_read == reports + duplicates + rejected`` when nothing
        was lost (reports added outside ingests aside).
    """

    name: str
    crs: str
    synthetic: bool
    by_source_category: pd.DataFrame
    rejects_by_reason: dict[str, int]
    ingests: pd.DataFrame
    rows_read: int
    reports: int
    duplicates: int
    rejected: int
    period: tuple[pd.Timestamp, pd.Timestamp] | None
    located: int

    @property
    def balanced(self) -> bool:
        """True when every row read is a report, a duplicate or a reject."""
        return self.rows_read == self.reports + self.duplicates + self.rejected


def project_summary(store: GeoPackageStore) -> ProjectSummary:
    """Summarise a project (see :class:`ProjectSummary`)."""
    reports = store.read_reports(["source", "category", "reported_at"])
    table = pd.crosstab(reports["source"], reports["category"]) if len(reports) else (
        pd.DataFrame())
    rejects = store.read("rejects", columns=["reason"])
    ingests = store.read("ingests", columns=["file", "source", "rows_read", "reports_added",
                                             "duplicates", "rejected", "ingested_at"])
    dates = reports["reported_at"].dropna()
    return ProjectSummary(
        name=store.name, crs=store.crs, synthetic=store.synthetic,
        by_source_category=table,
        rejects_by_reason={str(k): int(v) for k, v in rejects["reason"].value_counts().items()},
        ingests=ingests,
        rows_read=int(ingests["rows_read"].sum()) if len(ingests) else 0,
        reports=len(reports),
        duplicates=int(ingests["duplicates"].sum()) if len(ingests) else 0,
        rejected=len(rejects),
        period=(dates.min(), dates.max()) if len(dates) else None,
        located=int((reports.geometry.notna() & ~reports.geometry.is_empty).sum()),
    )
