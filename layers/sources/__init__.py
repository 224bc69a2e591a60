"""Input sources: one module per kind of file, all producing the report model.

``readers`` turns a file into rows with line numbers; a source module (``table``
so far) maps those rows onto report fields; ``common`` holds the steps every
source shares (numbers, dates, categories, coordinates, ids, rejects).
"""

from layers.sources import table

#: Source name (``trygg ingest --source``) → module with ``parse(raw, ...)``.
PARSERS = {"table": table}
