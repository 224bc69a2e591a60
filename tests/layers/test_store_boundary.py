"""No module outside the store opens the project file or computes paths from it.

DESIGN.md §5: every read and write goes through the store class, so a server
store (PostGIS, issue 14) can sit behind the same interface. The check reads the
source (AST) of every module under geo/, layers/, maps/ and scripts/ except the
store itself and flags:

- ``<store>.path`` — the attribute ``path`` of anything named like a store
  (``store``, ``project_store``, ``self.store`` …), of a parameter or variable
  annotated as a store, or of a value ``open_project``/``create_project``/
  ``GeoPackageStore`` returned;
- ``sqlite3.connect`` anywhere (the project is the only SQLite database);
- ``gpd.read_file``/``pyogrio.read_*``/``pyogrio.write_*``/``pyogrio.list_layers``
  … on an argument that mentions a store.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: The store: the only modules that may touch the project file.
STORE_MODULES = {"layers/store.py", "layers/_store_gpkg.py"}
STORE_TYPES = {"Store", "GeoPackageStore"}
STORE_FACTORIES = {"open_project", "create_project", "GeoPackageStore"}
FILE_CALLS = {("gpd", "read_file"), ("geopandas", "read_file"), ("fiona", "open"),
              ("rasterio", "open")}
FILE_MODULES = {"pyogrio"}


def _modules() -> list[Path]:
    out = []
    for folder in ("geo", "layers", "maps", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in STORE_MODULES or path.name.startswith("bench_"):
                continue  # benchmarks measure the raw file on purpose
            out.append(path)
    return out


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return _dotted(node.func) + "()"
    return ""


def _annotation_is_store(annotation: ast.AST | None) -> bool:
    if annotation is None:
        return False
    names = {n.id for n in ast.walk(annotation) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(annotation) if isinstance(n, ast.Attribute)}
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        names |= set(annotation.value.replace("|", " ").split())
    return bool(names & STORE_TYPES)


class _Checker(ast.NodeVisitor):
    def __init__(self, imported: set[str]) -> None:
        self.stores: set[str] = set()
        self.problems: list[tuple[int, str]] = []
        self.imported = imported  # names imported from sqlite3

    def _is_store(self, node: ast.AST) -> bool:
        text = _dotted(node)
        last = text.rsplit(".", 1)[-1]
        if "store" in last.lower() or text in self.stores:
            return True
        return isinstance(node, ast.Call) and _dotted(node.func).rsplit(".", 1)[-1] in \
            STORE_FACTORIES

    def _mentions_store_path(self, node: ast.AST) -> bool:
        return any(isinstance(n, ast.Attribute) and n.attr == "path" and self._is_store(n.value)
                   for n in ast.walk(node))

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        args = node.args
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if _annotation_is_store(arg.annotation):
                self.stores.add(arg.arg)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815 (ast.NodeVisitor names)

    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value
        if isinstance(value, ast.Call) and _dotted(value.func).rsplit(".", 1)[-1] in \
                STORE_FACTORIES:
            for target in node.targets:
                if isinstance(target, ast.Name | ast.Attribute):
                    self.stores.add(_dotted(target))
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if _annotation_is_store(node.annotation):
            self.stores.add(_dotted(node.target))
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "path" and self._is_store(node.value):
            self.problems.append((node.lineno, f"{_dotted(node)}: the project file's path "
                                  "outside the store"))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        parts = tuple(name.split("."))
        if parts[-2:] == ("sqlite3", "connect") or (len(parts) == 1 and name in self.imported
                                                     and name == "connect"):
            self.problems.append((node.lineno, f"{name}(): opens a SQLite database outside "
                                  "the store"))
        elif (parts[-2:] in FILE_CALLS or (len(parts) >= 2 and parts[-2] in FILE_MODULES)) \
                and any(self._mentions_store_path(a) for a in
                        [*node.args, *(k.value for k in node.keywords)]):
            self.problems.append((node.lineno, f"{name}() on the project file"))
        self.generic_visit(node)


def problems_in(source: str) -> list[tuple[int, str]]:
    """Store-boundary violations in Python ``source`` (line, what)."""
    tree = ast.parse(source)
    checker = _Checker({a.asname or a.name for n in ast.walk(tree)
                        if isinstance(n, ast.ImportFrom) and n.module == "sqlite3"
                        for a in n.names})
    checker.visit(tree)
    return sorted(checker.problems)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_outside_the_store_touches_the_project_file(path):
    found = problems_in(path.read_text("utf-8"))
    assert not found, "\n".join(f"{path.relative_to(ROOT)}:{line}: {what}"
                                for line, what in found)


def test_the_scan_covers_the_package():
    names = {p.relative_to(ROOT).as_posix() for p in _modules()}
    assert {"layers/geocoding.py", "layers/hotspots/runs.py", "maps/overlays.py",
            "maps/publik.py", "maps/export.py", "scripts/cli.py"} <= names
    assert not names & STORE_MODULES


# The check must fail on what the code did before every read went through the store.
OLD_VIOLATIONS = [
    'gdf = gpd.read_file(store.path, layer=GAZETTEER, engine="pyogrio")',
    'df = pd.DataFrame(pyogrio.read_dataframe(store.path, layer=OVERRIDES))',
    'tif = store.path.with_name(f"{store.path.stem}_{run_id}_kde.tif")',
    'check_target(out, [store.path], force=force)',
    'con = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)',
    "def f(project: GeoPackageStore):\n    return project.path.with_name('x.tif')",
    "def f(p):\n    s = open_project(p)\n    return pyogrio.list_layers(s.path)",
    "x = open_project(p).path",
    "from sqlite3 import connect\nconnect(p)",
]


@pytest.mark.parametrize("source", OLD_VIOLATIONS)
def test_the_check_catches_the_old_direct_reads(source):
    assert problems_in(source), source


@pytest.mark.parametrize("source", [
    'gdf = gpd.read_file(path, layer=name, engine="pyogrio")',  # a user's input file
    "name = raw.path.name",
    "out = export_layer(store, 'reports', out).path",
    "frame = store.read_layer('grid_x')",
])
def test_the_check_lets_other_files_and_store_methods_be(source):
    assert not problems_in(source), source


def test_the_check_fails_on_the_old_code_reintroduced(tmp_path):
    """Put one old line back into a copy of a real module: the scan flags it."""
    text = (ROOT / "layers" / "geocoding.py").read_text("utf-8")
    old = text.replace("gdf = store.read_layer(GAZETTEER)",
                       'gdf = gpd.read_file(store.path, layer=GAZETTEER, engine="pyogrio")')
    assert old != text
    assert not problems_in(text)
    assert problems_in(old)
