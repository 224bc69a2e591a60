"""Resource and option guards of the Gi*, emerging, divergence and kde runs, through the CLI:
each mistake is one line, exit 2, no traceback, the project untouched."""

import shutil

import pytest

from trygg.cli import main


@pytest.fixture
def proj(demo, tmp_path):
    path = tmp_path / "demo.gpkg"
    shutil.copy(demo["project"], path)
    return path


@pytest.mark.parametrize(("args", "expected"), [
    # 13.5 GB before: the guard counted cells, not cells × periods.
    (["--method", "emerging", "--period", "2D", "--cell", "10"], "Välj --cell"),
    (["--method", "gistar", "--nb-dist", "1e9"], "--nb-dist"),            # _ArrayMemoryError
    (["--method", "gistar", "--nb-dist", "inf"], "Grannskapsavståndet"),
    (["--method", "gistar", "--cell", "1e-300"], "Välj --cell"),          # OverflowError
    (["--method", "count", "--cell", "1e-300"], "Välj --cell"),
    (["--method", "divergence", "--cell", "1e-300"], "Välj --cell"),
    (["--method", "gistar", "--cell", "10"], "Gi* behöver minst 20"),
    (["--method", "kde", "--bandwidth", "1e300"], "Välj t.ex. --bandwidth"),  # OverflowError
    (["--method", "kde", "--bandwidth", "1e-300"], "Välj t.ex. --bandwidth"),  # ZeroDivision
])
def test_guards_give_one_line_and_exit_2(proj, capsys, args, expected):
    before = proj.read_bytes()
    code = main(["hotspots", str(proj), *args])
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    assert expected in err and len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err + out
    assert proj.read_bytes() == before
