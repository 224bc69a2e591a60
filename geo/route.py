"""Walking routes: the order of the stops and the way between them.

A safety walk visits a dozen places on foot. The order is a small travelling
salesman problem: a nearest-neighbour tour from the start, improved by 2-opt
(reverse a stretch of the tour while that shortens it) until no reversal helps.
2-opt only ever shortens, so the tour is never longer than the nearest-neighbour
tour it starts from, and every stop is visited exactly once.

Distances are straight lines (metres in a projected CRS) or, given a street and
path network, the shortest paths along it (:func:`network_graph`,
:func:`network_distances`; Dijkstra in networkx). The route's line then follows
the streets between the stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString

from trygg.geo.errors import ArgumentError

__all__ = ["Network", "network_distances", "network_graph", "nearest_neighbour_tour",
           "order_stops", "tour_length", "two_opt", "walking_minutes"]

#: Farthest a stop may lie from the network (metres) before it counts as off the map.
MAX_SNAP_M = 250.0


def euclidean(xy: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Straight-line distances (metres) between all points ``xy`` (n × 2)."""
    pts = np.asarray(xy, dtype=float).reshape(-1, 2)
    diff = pts[:, None, :] - pts[None, :, :]
    dist: npt.NDArray[np.float64] = np.sqrt((diff ** 2).sum(axis=2))
    return dist


def tour_length(order: Sequence[int], dist: npt.ArrayLike, *, loop: bool = True) -> float:
    """Length of the tour ``order`` under the distance matrix ``dist``; with ``loop``
    the way back from the last stop to the first counts too."""
    d = np.asarray(dist, dtype=float)
    idx = list(order)
    total = float(sum(d[a, b] for a, b in zip(idx[:-1], idx[1:], strict=True)))
    if loop and len(idx) > 1:
        total += float(d[idx[-1], idx[0]])
    return total


def nearest_neighbour_tour(dist: npt.ArrayLike, *, start: int = 0) -> list[int]:
    """Visit every point once, always walking to the nearest one not yet visited.

    Parameters
    ----------
    dist
        Square distance matrix (metres).
    start
        Index of the first point.

    Returns
    -------
    list of int
        The indices in visiting order, starting with ``start``.
    """
    d = np.asarray(dist, dtype=float)
    n = len(d)
    if n == 0:
        return []
    seen = np.zeros(n, dtype=bool)
    order = [start]
    seen[start] = True
    for _ in range(n - 1):
        row = np.where(seen, np.inf, d[order[-1]])
        nxt = int(np.argmin(row))
        order.append(nxt)
        seen[nxt] = True
    return order


def two_opt(order: Sequence[int], dist: npt.ArrayLike, *, loop: bool = True) -> list[int]:
    """Improve a tour by reversing stretches of it while that shortens it (2-opt).

    The first point stays first (the walk's start).

    Parameters
    ----------
    order
        A tour (each index once).
    dist
        The distance matrix (symmetric: a reversed stretch is as long as before).
    loop
        The tour returns to its first point.

    Returns
    -------
    list of int
        A tour no longer than ``order``, each index still once, the same first point.
    """
    d = np.asarray(dist, dtype=float)
    best = list(order)
    n = len(best)
    improved = True
    while improved:
        improved = False
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                a, b, c = best[i - 1], best[i], best[j]
                if j + 1 < n or loop:
                    e = best[(j + 1) % n]
                    delta = d[a, c] + d[b, e] - d[a, b] - d[c, e]
                else:
                    delta = d[a, c] - d[a, b]
                if delta < -1e-9:
                    best[i:j + 1] = best[i:j + 1][::-1]
                    improved = True
    return best


def order_stops(dist: npt.ArrayLike, *, start: int = 0, loop: bool = True) -> list[int]:
    """The walking order: nearest neighbour from ``start``, then 2-opt (never longer)."""
    d = np.asarray(dist, dtype=float)
    tour = nearest_neighbour_tour(d, start=start)
    return two_opt(tour, d, loop=loop)


def walking_minutes(length_m: float, stops: int, *, speed_kmh: float = 3.0,
                    stop_minutes: float = 8.0) -> float:
    """Minutes a group needs for ``length_m`` metres at ``speed_kmh`` (a group walking
    and talking: 3 km/h) plus ``stop_minutes`` at each of ``stops`` stops."""
    return length_m / (speed_kmh * 1000.0 / 60.0) + stops * stop_minutes


@dataclass
class Network:
    """A street and path network as a graph: nodes are line ends and shared vertices
    (rounded to ``snap_m``), edges carry their length (metres) and geometry."""

    graph: nx.Graph
    nodes: npt.NDArray[np.float64]  # node id → (x, y)


def network_graph(lines: Sequence[LineString] | npt.ArrayLike, *, snap_m: float = 1.0
                  ) -> Network:
    """Build the walking graph of ``lines`` (LineStrings or MultiLineStrings in a
    projected CRS, metres). Lines are split at every vertex; vertices closer than
    ``snap_m`` are one node, so lines drawn to meet do meet."""
    geoms = shapely.get_parts(np.asarray(lines, dtype=object))
    geoms = geoms[shapely.get_type_id(geoms) == 1]  # LineStrings
    keys: dict[tuple[int, int], int] = {}
    coords: list[tuple[float, float]] = []
    graph = nx.Graph()

    def node(x: float, y: float) -> int:
        key = (round(x / snap_m), round(y / snap_m))
        if key not in keys:
            keys[key] = len(coords)
            coords.append((x, y))
            graph.add_node(keys[key])
        return keys[key]

    for line in geoms:
        pts = shapely.get_coordinates(line)
        for (x0, y0), (x1, y1) in zip(pts[:-1], pts[1:], strict=True):
            a, b = node(x0, y0), node(x1, y1)
            if a == b:
                continue
            length = float(np.hypot(x1 - x0, y1 - y0))
            if not graph.has_edge(a, b) or graph[a][b]["length"] > length:
                graph.add_edge(a, b, length=length)
    return Network(graph=graph, nodes=np.asarray(coords, dtype=float).reshape(-1, 2))


def _snap(net: Network, xy: npt.NDArray[np.float64], option: str) -> tuple[list[int], list[float]]:
    """Nearest network node of each point, and how far it is (metres)."""
    if len(net.nodes) == 0:
        raise ArgumentError(f"{option} innehåller inga linjer att gå längs.",
                            f"{option} holds no lines to walk along.")
    from scipy.spatial import cKDTree

    found = cKDTree(net.nodes).query(xy)
    far = np.asarray(found[0], dtype=float).reshape(-1)
    idx = np.asarray(found[1], dtype=np.int64).reshape(-1)
    bad = np.flatnonzero(far > MAX_SNAP_M)
    if len(bad):
        raise ArgumentError(
            f"Stopp {int(bad[0]) + 1} ligger {far[bad[0]]:.0f} m från närmaste gata eller "
            f"gångväg i {option}. Kontrollera att nätet täcker området (och dess "
            "koordinatsystem).",
            f"Stop {int(bad[0]) + 1} lies {far[bad[0]]:.0f} m from the nearest street or path "
            f"in {option}. Check that the network covers the area (and its coordinate "
            "system).")
    return [int(i) for i in idx.tolist()], [float(f) for f in far.tolist()]


def network_distances(net: Network, xy: npt.ArrayLike, *, option: str = "--network"
                      ) -> tuple[npt.NDArray[np.float64], dict[tuple[int, int], list[int]]]:
    """Shortest walking distances (metres) between the points ``xy`` along ``net``.

    Each point is joined to its nearest node (the straight bit counts in the distance).
    Points the network does not connect get the straight-line distance times 1.5 (a
    detour) so a walk can still be ordered; the route then draws a straight line there.

    Returns
    -------
    dist, paths
        The n × n distance matrix, and the node path of each ordered pair (i, j).

    Raises
    ------
    ArgumentError
        A point farther than :data:`MAX_SNAP_M` from the network.
    """
    pts = np.asarray(xy, dtype=float).reshape(-1, 2)
    nodes, gaps = _snap(net, pts, option)
    n = len(pts)
    dist = euclidean(pts) * 1.5
    paths: dict[tuple[int, int], list[int]] = {}
    for i in range(n):
        lengths, routes = nx.single_source_dijkstra(net.graph, nodes[i], weight="length")
        for j in range(n):
            if i == j:
                dist[i, j] = 0.0
            elif nodes[j] in lengths:
                dist[i, j] = lengths[nodes[j]] + gaps[i] + gaps[j]
                paths[(i, j)] = routes[nodes[j]]
    return dist, paths


def route_line(xy: npt.ArrayLike, order: Sequence[int], *, loop: bool = True,
               net: Network | None = None,
               paths: dict[tuple[int, int], list[int]] | None = None) -> LineString:
    """The route through the points ``xy`` in ``order`` as one line: straight legs, or
    along the network's shortest paths when ``net`` and its ``paths`` are given."""
    pts = np.asarray(xy, dtype=float).reshape(-1, 2)
    seq = list(order) + ([order[0]] if loop and len(order) > 1 else [])
    out: list[tuple[float, float]] = [tuple(pts[seq[0]])] if seq else []
    for a, b in zip(seq[:-1], seq[1:], strict=True):
        if net is not None and paths is not None and (a, b) in paths:
            out.extend(tuple(net.nodes[k]) for k in paths[(a, b)])
        out.append(tuple(pts[b]))
    clean = [p for i, p in enumerate(out) if i == 0 or p != out[i - 1]]
    if len(clean) < 2:
        clean = clean * 2
    return LineString(clean)
