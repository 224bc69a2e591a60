"""Input sources: one module per kind of file, all producing the report model.

``readers`` turns a file into rows with line numbers; a source module maps
those rows onto report fields (``table`` is the engine; ``tycktill``, ``est``
and ``walk`` give it their own column names); ``common`` holds the steps every
source shares (numbers, dates, categories, coordinates, ids, rejects).
"""

from trygg.layers.sources import est, open311, polisen, table, tycktill, walk

#: Source name (``trygg ingest --source``) → module with ``parse_file(path, ...)``.
PARSERS = {"tycktill": tycktill, "est": est, "walk": walk, "open311": open311,
           "polisen": polisen, "table": table}
