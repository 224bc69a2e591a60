"""The package's layout holds: imports go ``scripts → maps → layers → geo``, never back.

Every module under ``geo/``, ``layers/``, ``maps/`` and ``scripts/`` is parsed (not
imported) and each of its imports, at module level or inside a function, is checked:

- ``trygg.geo`` imports only ``trygg.geo.*``;
- ``trygg.layers`` imports ``trygg.geo.*`` and ``trygg.layers.*``;
- ``trygg.maps`` imports those and ``trygg.maps.*``;
- the top package (``scripts/``: ``trygg``, ``trygg.cli``, ``trygg.demo_run`` …) anything.

Nothing imports the old top-level names ``geo``, ``layers``, ``maps`` or ``scripts`` (the
benchmarks, which are not installed, import their helpers as ``scripts._bench`` and
``scripts.bench_*``). No module imports another's private name (``from trygg.x import
_y``), and the module-level imports of the product form no cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Repository folder → the import package it is installed as.
FOLDERS = {"scripts": "trygg", "geo": "trygg.geo", "layers": "trygg.layers",
           "maps": "trygg.maps"}
#: What each layer may import from ``trygg`` (prefixes; the top package: everything).
ALLOWED = {
    "geo": ("trygg.geo",),
    "layers": ("trygg.geo", "trygg.layers"),
    "maps": ("trygg.geo", "trygg.layers", "trygg.maps"),
    "scripts": ("trygg",),
}
OLD_NAMES = {"geo", "layers", "maps", "scripts"}


@dataclass(frozen=True)
class Import:
    """One import statement: the module it names, the names it takes (``from … import``)
    and whether it runs when the module is imported (module level, not a function)."""

    module: str
    names: tuple[str, ...]
    line: int
    top_level: bool

    def targets(self, modules: dict[str, Path]) -> list[str]:
        """The modules it loads: ``from a import b`` is ``a.b`` when that is a module,
        else ``a`` (a name taken from the module ``a``)."""
        subs = [f"{self.module}.{n}" for n in self.names if f"{self.module}.{n}" in modules]
        return subs if self.names and len(subs) == len(self.names) else [self.module, *subs]


def is_benchmark(path: Path) -> bool:
    """Benchmarks (``scripts/bench_*.py``, ``scripts/_bench.py``) are not installed."""
    return path.parent.name == "scripts" and path.name.startswith(("bench_", "_bench"))


def product_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every installed module, by its import name (``trygg.maps.karta`` → its file)."""
    modules = {}
    for folder, package in FOLDERS.items():
        for path in sorted((root / folder).rglob("*.py")):
            if is_benchmark(path):
                continue
            parts = list(path.relative_to(root / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join([package, *parts])] = path
    return modules


def _type_checking(stmt: ast.stmt) -> bool:
    test = getattr(stmt, "test", None)
    return isinstance(stmt, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"))


def _runs_on_import(stmts: list[ast.stmt]):
    """The statements that run when the module is imported: module level, inside
    if/try/with/for blocks and class bodies; not in functions, not under
    ``if TYPE_CHECKING:``."""
    for stmt in stmts:
        yield stmt
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if not _type_checking(stmt):
            yield from _runs_on_import(getattr(stmt, "body", []))
        for field in ("orelse", "finalbody"):
            yield from _runs_on_import(getattr(stmt, field, []))
        for handler in getattr(stmt, "handlers", []):
            yield from _runs_on_import(handler.body)


def imports(source: str, module: str, *, is_package: bool = False) -> list[Import]:
    """Every import of ``source`` (the code of ``module``), at module level or inside a
    function; relative imports resolved against ``module``."""
    tree = ast.parse(source)
    on_import = {id(stmt) for stmt in _runs_on_import(tree.body)}
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(tree):
        top = id(node) in on_import
        if isinstance(node, ast.Import):
            found += [Import(alias.name, (), node.lineno, top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = tuple(alias.name for alias in node.names if alias.name != "*")
            found.append(Import(target, names, node.lineno, top))
    return found


def module_imports(root: Path = ROOT):
    """``(module, path, import)`` for every import of every product module."""
    modules = product_modules(root)
    for module, path in modules.items():
        for imp in imports(path.read_text("utf-8"), module,
                           is_package=path.name == "__init__.py"):
            yield module, path, imp


def layer_of(module: str) -> str:
    """``trygg.maps.karta`` → ``maps``; the top package's own modules → ``scripts``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ("geo", "layers", "maps") else "scripts"


def direction_violations(root: Path = ROOT) -> list[str]:
    """Every import that breaks the layering or names an old top-level package."""
    modules = product_modules(root)
    problems = []
    for module, path, imp in module_imports(root):
        layer, where = layer_of(module), f"{path.relative_to(root)}:{imp.line}"
        if imp.module.split(".")[0] in OLD_NAMES:
            problems.append(f"{where}: imports the old top-level name '{imp.module}' "
                            f"(write trygg.{imp.module})")
            continue
        for target in imp.targets(modules):
            if target.split(".")[0] != "trygg":
                continue
            if target == "trygg" and layer != "scripts":
                problems.append(f"{where}: {layer} imports the top package 'trygg' "
                                f"({', '.join(imp.names) or 'import trygg'})")
            elif not any(target == p or target.startswith(p + ".") for p in ALLOWED[layer]):
                problems.append(f"{where}: {layer} imports '{target}' (allowed: "
                                f"{', '.join(ALLOWED[layer])})")
    for path in sorted((root / "scripts").glob("*.py")):
        if not is_benchmark(path):
            continue
        for imp in imports(path.read_text("utf-8"), f"scripts.{path.stem}"):
            helper = imp.module.startswith(("scripts._bench", "scripts.bench_"))
            if imp.module.split(".")[0] in OLD_NAMES and not helper:
                problems.append(f"{path.relative_to(root)}:{imp.line}: imports the old "
                                f"top-level name '{imp.module}' (write trygg.…)")
    return problems


def private_imports(root: Path = ROOT) -> list[str]:
    """``from trygg.x import _y`` in product code, ``_y`` a name of another module.

    A package's private helper module (``trygg.layers.hotspots._validate``) may be
    imported by the modules of that package, and by nobody else.
    """
    modules = product_modules(root)
    problems = []
    for module, path, imp in module_imports(root):
        if not imp.module.startswith("trygg"):
            continue
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        where = f"{path.relative_to(root)}:{imp.line}"
        names = [n for n in imp.names if n.startswith("_") and not n.startswith("__")
                 and f"{imp.module}.{n}" not in modules]
        if names:
            problems.append(f"{where}: imports private {', '.join(names)} of {imp.module}")
        for target in imp.targets(modules):
            parts = target.split(".")
            for i, part in enumerate(parts):
                owner = ".".join(parts[:i])
                if part.startswith("_") and not part.startswith("__") and owner != package:
                    problems.append(f"{where}: imports the private module {target} from "
                                    f"outside {owner}")
    return problems


def import_cycles(root: Path = ROOT) -> list[list[str]]:
    """Groups of product modules whose module-level imports form a cycle (Tarjan's
    strongly connected components with more than one module, or a module importing
    itself)."""
    modules = product_modules(root)
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, _path, imp in module_imports(root):
        if imp.top_level:
            graph[module] |= {t for t in imp.targets(modules) if t in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


# -- the tests ------------------------------------------------------------------------
def test_the_layout_covers_every_package():
    modules = product_modules()
    for name in ("trygg", "trygg.cli", "trygg.geo.crs", "trygg.layers.store",
                 "trygg.layers.hotspots.gistar", "trygg.maps.karta"):
        assert name in modules
    assert not any(".bench_" in m or m.endswith("._bench") for m in modules)


def test_imports_go_scripts_maps_layers_geo():
    assert direction_violations() == []


def test_no_module_imports_another_modules_private_names():
    assert private_imports() == []


def test_no_import_cycles_among_product_modules():
    assert import_cycles() == []


# -- the checks find what they look for (planted violations in a copy) ------------------
@pytest.fixture
def planted(tmp_path: Path):
    """A tiny copy of the layout to plant violations in: ``plant(path, source)``."""
    for folder in FOLDERS:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text('"""x"""\n')
    (tmp_path / "geo" / "crs.py").write_text("import math\nfrom trygg.geo import errors\n")
    (tmp_path / "geo" / "errors.py").write_text("class E(Exception):\n    pass\n")
    (tmp_path / "layers" / "store.py").write_text("from trygg.geo.crs import x\n")
    (tmp_path / "maps" / "karta.py").write_text(
        "from trygg.layers.store import open_project\nfrom trygg.maps import page\n")
    (tmp_path / "maps" / "page.py").write_text("from trygg.geo.errors import E\n")
    (tmp_path / "scripts" / "cli.py").write_text(
        "def f():\n    from trygg.maps.karta import write_map\n    import trygg.layers\n")
    (tmp_path / "scripts" / "bench_x.py").write_text(
        "from scripts._bench import timed\nimport trygg.cli\n")

    def plant(name: str, source: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
        return tmp_path

    return plant


def test_the_planted_copy_is_clean(planted):
    root = planted("geo/sun.py", "import math\n")
    assert direction_violations(root) == []
    assert private_imports(root) == []
    assert import_cycles(root) == []


@pytest.mark.parametrize(("name", "source", "needle"), [
    ("geo/sun.py", "from trygg.layers.store import open_project\n", "geo imports"),
    ("geo/sun.py", "def f():\n    import trygg.maps.karta\n", "trygg.maps.karta"),
    ("layers/x.py", "def f():\n    from trygg.maps import karta\n", "trygg.maps"),
    ("layers/x.py", "from trygg.cli import main\n", "trygg.cli"),
    ("maps/x.py", "def f():\n    from trygg.demo_run import build_demo\n", "trygg.demo_run"),
    ("maps/x.py", "import trygg\n", "top package"),
    ("maps/x.py", "from trygg import write_map\n", "top package"),
    ("layers/sub/deep.py", "try:\n    pass\nexcept ImportError:\n    import trygg.maps\n",
     "trygg.maps"),
    ("layers/x.py", "from .. import maps\n", "trygg.maps"),
    ("layers/x.py", "import layers.store\n", "old top-level name"),
    ("scripts/cli2.py", "from geo import crs\n", "old top-level name"),
    ("scripts/bench_y.py", "from layers.store import open_project\n", "old top-level name"),
])
def test_a_planted_violation_is_found(planted, name, source, needle):
    root = planted(name, source)
    problems = direction_violations(root)
    assert len(problems) == 1 and needle in problems[0], problems


def test_a_planted_private_import_is_found(planted):
    root = planted("maps/publik.py", "from trygg.maps.karta import _package_text\n")
    assert "private _package_text" in " ".join(private_imports(root))
    root = planted("maps/publik.py", "from trygg.layers.hotspots._validate import x\n")
    assert "private module" in " ".join(private_imports(root))


def test_a_private_module_of_the_same_package_is_allowed(planted):
    planted("layers/hotspots/__init__.py", "")
    root = planted("layers/hotspots/gistar.py", "from trygg.layers.hotspots._validate import x\n")
    assert private_imports(root) == []


def test_a_planted_cycle_is_found(planted):
    planted("layers/a.py", "from trygg.layers import b\n")
    root = planted("layers/b.py", "import trygg.layers.a\n")
    assert import_cycles(root) == [["trygg.layers.a", "trygg.layers.b"]]


def test_a_function_level_import_is_no_cycle(planted):
    planted("layers/a.py", "from trygg.layers import b\n")
    root = planted("layers/b.py", "def f():\n    import trygg.layers.a\n")
    assert import_cycles(root) == []
