"""`trygg cameras` on the demo project: a stored run, its summary, and mistakes."""

import json
import shutil

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import rasterio
import shapely
from rasterio.transform import from_origin

from trygg.cli import main
from trygg.layers.store import open_project


@pytest.fixture
def proj(demo, tmp_path):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], path)
    return path


@pytest.fixture
def kommun(demo):
    return demo["data"] / "kommun.gpkg"


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_camera_sites_from_the_candidate_file(proj, kommun, capsys):
    code, out, err = run(capsys, "cameras", proj, "--k", "4", "--name", "centrum",
                         "--candidates", f"{kommun}:kamerakandidater",
                         "--buildings", f"{kommun}:byggnader",
                         "--privacy", f"{kommun}:adresser")
    assert code == 0, err
    assert "Körningen centrum: 4 kameraplatser av 40 (ur filen)" in out
    assert "från optimum (heltalsprogram, HiGHS)" in out
    assert "camera_sites_centrum" in out
    sites = pyogrio.read_dataframe(proj, layer="camera_sites_centrum")
    views = pyogrio.read_dataframe(proj, layer="camera_views_centrum")
    assert sites["rank"].tolist() == [1, 2, 3, 4] and len(views) == 4
    assert sites["share"].is_monotonic_increasing and (sites["n"] > 0).all()
    assert set(sites["site_id"]) <= set(pyogrio.read_dataframe(
        kommun, layer="kamerakandidater")["kandidat_id"])
    runs = open_project(proj).read("runs").set_index("run_id")
    assert runs.loc["centrum", "kind"] == "cameras"
    params = json.loads(runs.loc["centrum", "params"])
    assert params["plan"]["k"] == 4 and params["plan"]["range_m"] == 40
    code, out, _ = run(capsys, "runs", proj)
    assert "centrum" in out and "Kameraplatser" in out
    code, out, _ = run(capsys, "runs", proj, "remove", "centrum")
    assert code == 0 and "camera_sites_centrum" not in pyogrio.list_layers(proj)[:, 0]


def test_generated_candidates_a_target_share_and_english(proj, kommun, capsys):
    code, out, err = run(capsys, "--lang", "en", "cameras", proj, "--target-coverage", "0.1",
                         "--streets", f"{kommun}:gator", "--buildings", f"{kommun}:byggnader",
                         "--fov", "90", "--category", "skadegorelse", "--category", "fordon",
                         "--category", "stold_inbrott", "--name", "gen")
    assert code == 0, err
    assert "(proposed along the streets)" in out and "Proposed camera sites" in out
    sites = pyogrio.read_dataframe(proj, layer="camera_sites_gen")
    assert sites["share"].iloc[-1] >= 0.1 and sites["direction"].notna().all()
    assert sites["site_id"].str.startswith("G").all()


def test_a_surface_model_is_used(proj, kommun, tmp_path, capsys):
    area = open_project(proj).area()
    z = np.full((50, 50), 10.0, dtype="float32")
    path = tmp_path / "dsm.tif"
    with rasterio.open(path, "w", driver="GTiff", width=50, height=50, count=1,
                       dtype="float32", crs="EPSG:3006",
                       transform=from_origin(area[0], area[3], (area[2] - area[0]) / 50,
                                             (area[3] - area[1]) / 50)) as dst:
        dst.write(z, 1)
    code, out, err = run(capsys, "cameras", proj, "--k", "2", "--candidates",
                         f"{kommun}:kamerakandidater", "--dsm", path, "--name", "dsm")
    assert code == 0, err


@pytest.mark.parametrize(("args", "message"), [
    (["--k", "500"], "--k 500 går inte"),
    (["--candidates", "{kommun}:byggnader"], "ska innehålla punkter"),
    (["--buildings", "{kommun}:kamerakandidater"], "polygoner"),
    (["--candidates", "{outside}"], "utanför projektområdet"),
    (["--candidates", "{empty}"], "inga objekt"),
    (["--dsm", "{wgs_dsm}"], "annat koordinatsystem"),
    (["--target-coverage", "1.5"], "andel mellan 0 och 1"),
    (["--candidates", "{kommun}:saknas"], "inget lager 'saknas'"),
])
def test_mistakes_give_one_line_exit_2_and_write_nothing(proj, kommun, tmp_path, capsys,
                                                          args, message):
    outside = tmp_path / "utanfor.geojson"
    gpd.GeoDataFrame({"id": ["X1"]}, geometry=[shapely.Point(100_000, 7_600_000)],
                     crs="EPSG:3006").to_file(outside)
    empty = tmp_path / "tom.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    wgs_dsm = tmp_path / "wgs.tif"
    with rasterio.open(wgs_dsm, "w", driver="GTiff", width=2, height=2, count=1,
                       dtype="float32", crs="EPSG:4326",
                       transform=from_origin(18, 60, 0.1, 0.1)) as dst:
        dst.write(np.zeros((2, 2), dtype="float32"), 1)
    values = {"kommun": kommun, "outside": outside, "empty": empty, "wgs_dsm": wgs_dsm}
    args = [a.format(**values) for a in args]
    if "--candidates" not in args:
        args += ["--candidates", f"{kommun}:kamerakandidater"]
    before = sorted(pyogrio.list_layers(proj)[:, 0])
    code, out, err = run(capsys, "cameras", proj, *args)
    assert code == 2, (out, err)
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(pyogrio.list_layers(proj)[:, 0]) == before


def test_out_writes_the_site_table_three_ways_and_a_basis_per_site(proj, kommun, tmp_path,
                                                                     capsys):
    import csv
    import json as js

    import openpyxl

    out = tmp_path / "kameror"
    code, stdout, err = run(capsys, "cameras", proj, "--k", "2", "--name", "ut",
                            "--candidates", f"{kommun}:kamerakandidater", "--out", out)
    assert code == 0, err
    sites = pyogrio.read_dataframe(proj, layer="camera_sites_ut")
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(["kameraplatser.csv", "kameraplatser.xlsx", "kameraplatser.geojson",
                            *(f"kameraunderlag_{s}.html" for s in sites["site_id"])])
    raw = (out / "kameraplatser.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0][:2] == ["Rang", "Plats-id"] and len(rows) == 3
    assert "Latitud (WGS 84)" in rows[0] and rows[0].count("X (öst, meter)") == 1
    sheet = openpyxl.load_workbook(out / "kameraplatser.xlsx").active
    assert sheet["A1"].value == "Rang" and sheet.freeze_panes == "A2"
    geo = js.loads((out / "kameraplatser.geojson").read_text("utf-8"))
    assert geo["name"] == "kameraplatser" and len(geo["features"]) == 2
    assert "Skrev" in stdout and "kameraunderlag_" in stdout


def test_the_register_from_proposal_to_evaluation(proj, kommun, tmp_path, capsys):
    import openpyxl

    assert run(capsys, "cameras", proj, "--k", "2", "--name", "reg", "--candidates",
               f"{kommun}:kamerakandidater")[0] == 0
    site = pyogrio.read_dataframe(proj, layer="camera_sites_reg")["site_id"].iloc[0]
    code, out, _ = run(capsys, "cameras-register", proj)
    assert code == 0 and "KAM-001" in out  # the demo's camera
    code, out, err = run(capsys, "cameras-register", proj, "add", "--run", "reg", "--site",
                         site, "--purpose", "Skadegörelse", "--date", "2025-03-01")
    assert code == 0 and "Lade till KAM-002 i förteckningen (Föreslagen)." in out, err
    for status, day in (("decided", "2025-05-01"), ("installed", "2025-10-01")):
        code, out, err = run(capsys, "cameras-register", proj, "set", "KAM-002", "--status",
                             status, "--date", day)
        assert code == 0, err
    code, out, err = run(capsys, "cameras-register", proj, "set", "KAM-002", "--status",
                         "decided")
    assert code == 2 and "redan installerad" in err and err.count("\n") == 1
    sheet = tmp_path / "förteckning.xlsx"
    code, out, _ = run(capsys, "cameras-register", proj, "list", "--out", sheet)
    assert code == 0 and "KAM-002" in out
    ws = openpyxl.load_workbook(sheet).active
    headers = [c.value for c in ws[1]]
    assert "Kamera-id" in headers and "Syfte" in headers
    assert ws.cell(2, headers.index("Status") + 1).value == "Installerad"
    code, out, err = run(capsys, "cameras-evaluate", proj, "--site", "KAM-002", "--out",
                         tmp_path / "utv")
    assert code == 0, err
    assert "KAM-002: bevakat område" in out and "RES" in out
    assert (tmp_path / "utv" / "utvardering_KAM-002.html").exists()
    ws = openpyxl.load_workbook(tmp_path / "utv" / "utvardering_KAM-002.xlsx").active
    assert [c.value for c in ws[1]][:3] == ["Område", "Period", "Kategori"]


def test_evaluating_cameras_from_a_file_and_mistakes(proj, tmp_path, capsys):
    cams = tmp_path / "installerade.geojson"
    gpd.GeoDataFrame({"id": ["Torget"], "installerad": ["2025-10-01"]},
                     geometry=[shapely.Point(620002, 6657003)], crs="EPSG:3006").to_file(cams)
    code, out, err = run(capsys, "cameras-evaluate", proj, "--installed", cams, "--out",
                         tmp_path / "utv")
    assert code == 0 and "Torget:" in out, err
    code, _, err = run(capsys, "cameras-evaluate", proj, "--site", "KAM-404")
    assert code == 2 and "ingen kamera KAM-404" in err
    code, out, err = run(capsys, "cameras-evaluate", proj, "--site", "KAM-001", "--out",
                         tmp_path / "demo")
    assert code == 0 and "KAM-001:" in out, err
    code, _, err = run(capsys, "cameras-evaluate", proj)
    assert code == 2 and "--site" in err
    code, _, err = run(capsys, "cameras-register", proj, "flytta")
    assert code == 2 and "Okänd åtgärd" in err
