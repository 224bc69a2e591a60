"""Everything that produces a layer: the report model, sources, the project store.

Depends on ``geo`` only; knows nothing about HTML (see ``maps``).
"""
