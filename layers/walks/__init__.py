"""Safety walks (trygghetsvandringar): plan the stops and the route, bring the filled-in
protocol back as reports and actions, and follow the actions until they are done.

- :mod:`layers.walks.plan` — :func:`plan_walk` (stops, route, sunset) and :func:`read_walk`;
- :mod:`layers.walks.stops` — which places to visit, and what is known about each;
- :mod:`layers.walks.checklist` — what to look at, by category;
- :mod:`layers.walks.protocol` — the protocol's codes and columns (also the import format);
- :mod:`layers.walks.findings` — :func:`import_protocol`;
- :mod:`layers.walks.actions` — the action register;
- :mod:`layers.walks.scores` — the safety-audit scores, aggregated.
"""
