"""Install the repository's top-level folders as one import package, ``trygg``.

The design card keeps ``geo/``, ``layers/``, ``maps/`` and ``scripts/`` at the top of the
repository; a user's site-packages gains only ``trygg``:

- ``scripts/`` becomes ``trygg`` itself (the notebook verbs in ``__init__`` and the
  ``trygg`` command in ``trygg.cli``), without the benchmarks (``bench_*``, ``_bench``);
- ``geo/``, ``layers/`` and ``maps/`` become ``trygg.geo``, ``trygg.layers`` and
  ``trygg.maps``, with every subpackage found by :func:`setuptools.find_packages`.

Everything else (metadata, dependencies, the ``trygg`` entry point) is in pyproject.toml.
"""

from fnmatch import fnmatch

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

LAYERS = ("geo", "layers", "maps")
NOT_INSTALLED = ("bench_*", "_bench")  # benchmarks stay in the repository


def _packages() -> tuple[list[str], dict[str, str]]:
    packages, package_dir = ["trygg"], {"trygg": "scripts"}
    for layer in LAYERS:
        package_dir[f"trygg.{layer}"] = layer
        packages += [f"trygg.{layer}"] + [f"trygg.{layer}.{sub}" for sub in find_packages(layer)]
    return packages, package_dir


class BuildPy(build_py):
    """Leave the benchmark modules of ``scripts/`` out of the wheel."""

    def find_package_modules(self, package, package_dir):
        modules = super().find_package_modules(package, package_dir)
        if package != "trygg":
            return modules
        return [m for m in modules if not any(fnmatch(m[1], pat) for pat in NOT_INSTALLED)]


PACKAGES, PACKAGE_DIR = _packages()
setup(
    packages=PACKAGES,
    package_dir=PACKAGE_DIR,
    package_data={"trygg": ["py.typed"], "trygg.layers": ["sources/*.toml", "data/*.geojson",
                                                     "data/*.md"],
                  "trygg.maps": ["*.js", "*.css", "web/*"]},
    cmdclass={"build_py": BuildPy},
)
