"""The per-method option table of `trygg hotspots` and its check."""

import inspect

import pytest

from trygg.geo.errors import ArgumentError
from trygg.layers import hotspots
from trygg.layers.hotspots.runs import METHOD_OPTIONS, METHODS, check_options

#: Options run_hotspots handles itself for every method built on a grid.
HANDLED = {"cell", "grid", "weights", "half_life", "cluster_method"}
FUNCTIONS = {"count": hotspots.hotspot_count, "kde": hotspots.hotspot_kde,
             "gistar": hotspots.hotspot_gistar, "clusters": hotspots.hotspot_clusters,
             "clusters:gistar": hotspots.hotspot_gistar, "change": hotspots.hotspot_change,
             "emerging": hotspots.hotspot_emerging,
             "divergence": hotspots.hotspot_divergence}


def test_every_method_has_a_row():
    assert {key.split(":")[0] for key in METHOD_OPTIONS} == set(METHODS)


@pytest.mark.parametrize("key", list(METHOD_OPTIONS))
def test_the_table_matches_what_each_method_function_takes(key):
    params = set(inspect.signature(FUNCTIONS[key]).parameters)
    for option in METHOD_OPTIONS[key]:
        assert option in HANDLED or option in params, (key, option)
    if "weights" in METHOD_OPTIONS[key] or "half_life" in METHOD_OPTIONS[key]:
        assert "weights" in params, key
    # and no method option the function takes is left out of the table (clusters:gistar
    # runs Gi* with its defaults: run_hotspots passes no Gi* options on)
    if key == "clusters:gistar":
        return
    cli_options = {"bandwidth", "kernel", "nb_dist", "p_adjust", "period", "period_a",
                   "period_b", "same_period_last_year"}
    assert (params & cli_options) <= set(METHOD_OPTIONS[key]), key


def test_a_wrong_option_names_what_the_method_takes():
    with pytest.raises(ArgumentError) as err:
        check_options("gistar", {"bandwidth", "cell"})
    assert err.value.text().startswith(
        "--bandwidth gäller inte metoden gistar. gistar tar: --cell, --grid, --weights, "
        "--half-life, --nb-dist, --p-adjust")
    assert "--bandwidth does not apply to the method gistar" in err.value.text("en")
    with pytest.raises(ArgumentError, match="--period, --kernel gäller inte metoden count"):
        check_options("count", ["period", "kernel"])
    with pytest.raises(ArgumentError, match="bara med --cluster-method gistar"):
        check_options("clusters", {"cell"}, cluster_method="dbscan")
    check_options("clusters", {"cell", "cluster_method"}, cluster_method="gistar")
    check_options("kde", {"bandwidth", "kernel", "since", "hours"})  # selection always fits
