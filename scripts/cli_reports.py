"""The report commands of ``trygg``: ``lagesbild`` (the EST situation picture),
``indikatorer`` (the follow-up indicators), ``region`` (reports per municipality) and
``plan`` (safety input for a plan area).

Added to the app by :func:`trygg.cli.make_app` through :func:`add_report_commands`,
with the same boundary (one-line messages, exit code 2) as every other command.
"""

from pathlib import Path
from typing import Annotated

import typer

from trygg.geo.errors import ArgumentError


def add_report_commands(app: typer.Typer, command, ui, h, arg, project_type) -> None:
    """Add ``lagesbild``, ``indikatorer``, ``region`` and ``plan`` to ``app`` (helpers as for
    :func:`trygg.cli_walks.add_walk_commands`)."""
    from trygg.cli import boundary, check_parent, check_vector, open_store

    def population_layer(path: Path, column: str):
        """The ``--population`` polygons, with ``name`` (from name/namn) and ``column``."""
        from trygg.layers.areas import read_layer

        check_vector(path, "--population")
        pop = read_layer(path, option="--population", polygons=True)
        cols = {c.lower(): c for c in pop.columns}
        name = cols.get("name") or cols.get("namn")
        if name is None or column not in pop.columns:
            raise ArgumentError(
                f"--population '{path}' behöver kolumnerna namn och {column} (ange "
                "kolumnen med --population-column).",
                f"--population '{path}' needs the columns name and {column} (name the "
                "column with --population-column).")
        return pop.rename(columns={name: "name"})

    @command("lagesbild")
    @boundary
    def lagesbild(
            project: project_type,
            period: Annotated[str, typer.Option(help=h("lb_period"), show_default=False)],
            out: Annotated[Path, typer.Option(help=h("out_lagesbild"), show_default=False)],
            areas: Annotated[Path | None, typer.Option(help=h("lb_areas"))] = None,
            audience: Annotated[str, typer.Option(help=h("lb_audience"))] = "intern",
            min_count: Annotated[int, typer.Option(min=1, help=h("min_count"))] = 3,
            cell: Annotated[float | None, typer.Option(help=h("lb_cell"))] = None,
    ) -> None:
        from trygg.layers.lagesbild import situation
        from trygg.layers.periods import parse_range
        from trygg.maps.lagesbild import write_lagesbild

        span = parse_range(period, "--period")
        if audience not in ("intern", "publik"):
            raise ArgumentError(f"--audience ska vara intern eller publik, inte '{audience}'.",
                                f"--audience must be intern or publik, not '{audience}'.")
        if cell is not None and cell <= 0:
            raise ArgumentError(f"--cell ska vara större än 0 meter, inte {cell}.",
                                f"--cell must be more than 0 metres, not {cell}.")
        polygons = None
        if areas is not None:
            from trygg.layers.areas import read_layer

            check_vector(areas, "--areas")
            polygons = read_layer(areas, option="--areas", polygons=True)
            cols = {c.lower(): c for c in polygons.columns}
            name = cols.get("name") or cols.get("namn")
            if name is None:
                raise ArgumentError(
                    f"--areas '{areas}' har ingen kolumn name eller namn med områdenas namn.",
                    f"--areas '{areas}' has no column name or namn with the areas' names.")
            polygons = polygons.rename(columns={name: "name"})
        if out.exists() and not out.is_dir():
            raise ArgumentError(f"--out '{out}' är en fil; lägesbilden skrivs till en mapp.",
                                f"--out '{out}' is a file; the situation picture is written "
                                "to a folder.")
        check_parent(out / "lagesbild.html")
        store = open_store(project)
        with ui.step("lagesbild"):
            s = situation(store, span, areas=polygons, audience=audience,
                          min_count=min_count, cell=cell)
        with ui.step(str(out)):
            files = write_lagesbild(s, out, lang=ui.lang, project=store.name,
                                    period_name=period, synthetic=store.synthetic,
                                    areas_file=None if areas is None else Path(areas).name)
        ui.console.print(ui.m("lagesbild_summary", period=period, n=ui.number(s.n),
                              previous=ui.number(s.n_previous), year=ui.number(s.n_year)),
                         markup=False)
        for path in files:
            ui.console.print("  " + ui.m("wrote", path=path), markup=False)

    @command("indikatorer")
    @boundary
    def indikatorer(
            project: project_type,
            out: Annotated[Path, typer.Option(help=h("out_indikatorer"), show_default=False)],
            radius: Annotated[float, typer.Option(help=h("ind_radius"))] = 200.0,
            places: Annotated[Path | None, typer.Option(help=h("ind_places"))] = None,
            population: Annotated[Path | None, typer.Option(help=h("ind_population"))] = None,
            population_column: Annotated[str, typer.Option(help=h("ind_population_column"))
                                         ] = "invanare",
    ) -> None:
        from trygg.layers.areas import read_layer
        from trygg.layers.indicators import follow_up
        from trygg.maps.indikatorer import write_indicators

        if radius <= 0:
            raise ArgumentError(f"--radius ska vara större än 0 meter, inte {radius}.",
                                f"--radius must be more than 0 metres, not {radius}.")
        layer = pop = None
        if places is not None:
            check_vector(places, "--places")
            layer = read_layer(places, option="--places")
        if population is not None:
            pop = population_layer(population, population_column)
        if out.exists() and not out.is_dir():
            raise ArgumentError(f"--out '{out}' är en fil; indikatorerna skrivs till en mapp.",
                                f"--out '{out}' is a file; the indicators are written to a "
                                "folder.")
        check_parent(out / "indikatorer.html")
        store = open_store(project)
        with ui.step("indikatorer"):
            ind = follow_up(store, radius=radius, places=layer,
                            places_from=None if places is None else Path(places).name,
                            population=pop, population_column=population_column)
        with ui.step(str(out)):
            files = write_indicators(ind, out, lang=ui.lang, project=store.name,
                                     synthetic=store.synthetic)
        k = ind.klotter
        ui.console.print(ui.m("indikatorer_summary",
                              klotter=_pct(k.share, ui.lang), n=ui.number(k.n),
                              places=ui.number(len(ind.places))), markup=False)
        for path in files:
            ui.console.print("  " + ui.m("wrote", path=path), markup=False)

    @command("region")
    @boundary
    def region(
            project: project_type,
            out: Annotated[Path, typer.Option(help=h("out_region"), show_default=False)],
            lan: Annotated[str | None, typer.Option(help=h("region_lan"))] = None,
            kommuner: Annotated[str | None, typer.Option(help=h("region_kommuner"))] = None,
            population: Annotated[Path | None, typer.Option(help=h("region_population"))
                                  ] = None,
    ) -> None:
        from trygg.cli import check_input
        from trygg.layers.region import read_population, region_view
        from trygg.maps.region import write_region

        codes = None
        if kommuner is not None:
            codes = [c.strip() for c in kommuner.split(",") if c.strip()]
            if not codes or not all(c.isdigit() for c in codes):
                raise ArgumentError("--kommuner ska vara kommunkoder med komma emellan, t.ex. "
                                    "0188,0180.",
                                    "--kommuner must be municipality codes separated by "
                                    "commas, e.g. 0188,0180.")
        if lan is not None and kommuner is not None:
            raise ArgumentError("Ange --lan eller --kommuner, inte båda.",
                                "Give --lan or --kommuner, not both.")
        pop = None
        if population is not None:
            check_input(population, "--population")
            pop = read_population(population)
        if out.exists() and not out.is_dir():
            raise ArgumentError(f"--out '{out}' är en fil; regionen skrivs till en mapp.",
                                f"--out '{out}' is a file; the region is written to a folder.")
        check_parent(out / "region.html")
        store = open_store(project)
        with ui.step("region"):
            r = region_view(store, lan=lan, codes=codes, population=pop)
        with ui.step(str(out)):
            files = write_region(r, out, lang=ui.lang, project=store.name,
                                 synthetic=store.synthetic)
        ui.console.print(ui.m("region_summary", name=r.name, n=ui.number(r.n),
                              k=ui.number(len(r.by_municipality)),
                              apart=ui.number(int(r.unassigned.sum()))), markup=False)
        for path in files:
            ui.console.print("  " + ui.m("wrote", path=path), markup=False)

    @command("plan")
    @boundary
    def plan(
            project: project_type,
            area: Annotated[Path, typer.Option(help=h("plan_area"), show_default=False)],
            out: Annotated[Path, typer.Option(help=h("out_plan"), show_default=False)],
            buffer: Annotated[float, typer.Option(help=h("plan_buffer"))] = 250.0,
            years: Annotated[int, typer.Option(min=1, max=20, help=h("plan_years"))] = 3,
            population: Annotated[Path | None, typer.Option(help=h("ind_population"))] = None,
            population_column: Annotated[str, typer.Option(help=h("ind_population_column"))
                                         ] = "invanare",
    ) -> None:
        from trygg.layers.areas import read_layer
        from trygg.layers.plan import plan_input
        from trygg.maps.cameras import safe_name
        from trygg.maps.plan import write_plan

        if buffer < 0:
            raise ArgumentError(f"--buffer ska vara 0 eller mer, inte {buffer}.",
                                f"--buffer must be 0 or more, not {buffer}.")
        check_vector(area, "--area")
        polygons = read_layer(area, option="--area", polygons=True)
        pop = None if population is None else population_layer(population,
                                                                 population_column)
        if out.exists() and not out.is_dir():
            raise ArgumentError(f"--out '{out}' är en fil; underlaget skrivs till en mapp.",
                                f"--out '{out}' is a file; the input is written to a folder.")
        check_parent(out / "trygghetsunderlag.html")
        store = open_store(project)
        polygons = polygons.to_crs(store.crs)
        if pop is not None:
            pop = pop.to_crs(store.crs)
        cols = {c.lower(): c for c in polygons.columns}
        name_col = cols.get("namn") or cols.get("name")
        id_col = cols.get("planid") or cols.get("id") or cols.get("code")
        for i, row in enumerate(polygons.itertuples(index=False)):
            name = str(getattr(row, name_col)) if name_col else f"{Path(area).stem} {i + 1}"
            folder = out if len(polygons) == 1 else out / safe_name(
                getattr(row, id_col) if id_col else name)
            with ui.step(name):
                p = plan_input(store, row.geometry, name, buffer=buffer, years=years,
                               population=pop, population_column=population_column)
                files = write_plan(store, p, folder, lang=ui.lang)
            c = p.comparison
            ui.console.print(ui.m("plan_summary", name=name, inside=ui.number(c["n_inside"]),
                                  zone=ui.number(c["n_zone"]), m=f"{buffer:g}"),
                             markup=False)
            for path in files:
                ui.console.print("  " + ui.m("wrote", path=path), markup=False)


def _pct(share: float, lang: str) -> str:
    from trygg.geo.text import percent

    return percent(share, 0, lang=lang)
