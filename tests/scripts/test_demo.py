"""The demo end to end: project, map and exports, and `trygg info` adds up."""

import re

from trygg.cli import main
from trygg.layers.store import open_project


def test_demo_writes_project_map_and_exports(demo):
    assert demo["map"].name == "karta.html" and demo["map"].stat().st_size > 200_000
    assert demo["project"].name == "demo.gpkg"
    for key in ("xlsx", "geojson"):
        assert demo[key].exists()
    store = open_project(demo["project"])
    assert store.synthetic
    assert "syntetisk" in store.name


def test_info_counts_per_source_and_category_add_up_to_the_rows_read(demo, capsys):
    assert main(["info", str(demo["project"])]) == 0
    out = capsys.readouterr().out
    total = re.search(r"Summa: ([\d\u00a0 ]+) lästa = ([\d\u00a0 ]+) rapporter \+ "
                      r"([\d\u00a0 ]+) dubbletter \+ ([\d\u00a0 ]+) avvisade? ✓", out)
    assert total, out
    read, reports, dups, rejected = (int(re.sub(r"\D", "", g)) for g in total.groups())
    assert read == reports + dups + rejected
    assert read == 2250 + 8  # rows in the sample's rapporter.csv and the demo walk's protocol
    table_total = re.search(r"│ Summa\s+│\s+([\d\u00a0 ]+)│\s+([\d\u00a0 ]+)│\s+([\d\u00a0 ]+)│"
                            r"\s+([\d\u00a0 ]+)│", out)
    per_source = [int(re.sub(r"\D", "", g)) for g in table_total.groups()]
    assert sum(per_source[:-1]) == per_source[-1] == reports
    for label in ("EST", "Tyck till", "Trygghetsvandring", "Klotter", "Bristande belysning"):
        assert label in out
