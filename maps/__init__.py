"""Presentation: self-contained HTML maps, legends, popups and exports.

Reads layers through ``layers``; never computes statistics itself.
"""
