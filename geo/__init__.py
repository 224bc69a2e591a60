"""Coordinates and places: CRS detection and transforms, errors shared by every layer.

Knows nothing about reports (see ``layers``) or HTML (see ``maps``).
"""
