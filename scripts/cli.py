"""The ``trygg`` command: parses arguments, calls the library, prints summaries.

Help and messages are Swedish by default and English with ``--lang en`` (or
``TRYGG_LANG=en``): their text is in :mod:`trygg.texts`, the parser's own words are put
in the user's language by :mod:`trygg.usage`. A user mistake prints one line and exits
with code 2; ``trygg`` alone prints the help (exit 0). The library does the work (see
``layers`` and ``maps``).
"""


import functools
import os
import sqlite3
import sys
import tomllib
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from trygg.geo.errors import ArgumentError, InputFileError, ProjectError, UserError
from trygg.printing import (
    Ui,
    code_counts,
    print_cameras,
    print_demo,
    print_evaluation,
    print_info,
    print_ingest,
    print_register,
    print_run,
    print_runs,
    shell,
)
from trygg.texts import (
    ARG_NAMES,
    FRAMEWORK,
    GAZETTEER_KINDS,
    HELP,
    MESSAGES,
    SHORT_HELP,
    STEPS,
)
from trygg.texts import text as ui_text
from trygg.usage import TryggGroup, classes, mistake, see_help

LANGS = ("sv", "en")

def _lang_from_argv(argv: list[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("TRYGG_LANG", "sv")


def _parse_mapping(values: list[str] | None) -> dict[str, str]:
    mapping = {}
    for value in values or []:
        if "=" not in value:
            raise ArgumentError(MESSAGES["bad_map"][0].format(value=value),
                                MESSAGES["bad_map"][1].format(value=value))
        key, col = value.split("=", 1)
        mapping[key.strip()] = col.strip()
    return mapping


class _Trygg(TryggGroup):
    """The ``trygg`` group: help in its language, and its own ``--lang`` and ``--help``
    are taken as the parser gives them.

    typer converts every option value through a pydantic adapter, and importing
    pydantic takes about 0.1 s, a third of ``trygg SUBCOMMAND --help``, which processes
    these two before it reaches the command. ``--lang`` is text already (checked by the
    root callback) and ``--help`` a flag; ``--version`` is a flag typer leaves alone. The
    commands' options are converted as usual.
    """

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            if param.name in ("lang_opt", "help"):
                param.process_value = functools.partial(_as_given, param)
        return params


def _as_given(param, ctx, value):
    """``value`` unconverted, passed to the option's callback (``--help`` shows the help)."""
    return param.callback(ctx, param, value) if param.callback is not None else value


def make_app(lang: str = "sv") -> typer.Typer:
    """Build the ``trygg`` command with help texts in ``lang``."""
    ui = Ui(lang)

    def h(key: str) -> str:
        return ui.pick(*HELP[key])

    def arg(key: str) -> str:
        return ui.pick(*ARG_NAMES[key])

    group_cls, command_cls = classes(ui.lang)
    group_cls = type("Trygg", (_Trygg, group_cls), {})
    app = typer.Typer(cls=group_cls, help=h("app"), add_completion=False, no_args_is_help=True,
                      pretty_exceptions_enable=False, rich_markup_mode=None,
                      options_metavar=ui.pick(*FRAMEWORK["options_metavar"]),
                      subcommand_metavar=ui.pick(*FRAMEWORK["command_metavar"]))

    def command(name: str, *, help_key: str | None = None):
        """``@app.command`` with this language's help, short help (the line in ``trygg
        --help``; without one the parser cuts the help at its first period) and layout."""
        short = SHORT_HELP.get(name)
        return app.command(name, cls=command_cls, help=h(help_key or name),
                           short_help=ui.pick(*short) if short else None,
                           options_metavar=ui.pick(*FRAMEWORK["options_metavar"]))

    def show_version(value: bool) -> None:
        if value:
            from trygg import __version__

            ui.console.print(f"trygg {__version__}")
            raise typer.Exit()

    @app.callback()
    def _root(lang_opt: Annotated[str, typer.Option("--lang", help=h("lang"))] = lang,
              _version: Annotated[bool, typer.Option(
                  "--version", help=h("version"), is_eager=True,
                  callback=show_version)] = False) -> None:
        if lang_opt not in LANGS:
            raise ArgumentError(MESSAGES["bad_lang"][0].format(value=lang_opt),
                                MESSAGES["bad_lang"][1].format(value=lang_opt))

    Project = Annotated[Path, typer.Argument(help=h("project"), show_default=False,  # noqa: N806
                                             metavar=arg("project"), parser=project_arg)]

    @command("init")
    @boundary
    def init(project: Project,
             name: Annotated[str | None, typer.Option(help=h("name"))] = None,
             crs: Annotated[str, typer.Option(help=h("crs"))] = "EPSG:3006",
             area: Annotated[Path | None, typer.Option(help=h("area"))] = None,
             margin: Annotated[float, typer.Option(help=h("margin"))] = 2000.0,
             overwrite: Annotated[bool, typer.Option("--overwrite", help=h("overwrite"))] = False
             ) -> None:
        from trygg.layers.areas import area_bounds, check_margin
        from trygg.layers.store import create_project

        check_margin(margin)
        if isinstance(project, Path):
            check_parent(project)
        if area is not None:
            check_vector(area, "--area")
        bounds = area_bounds(area, crs=crs, margin=margin) if area else None
        store = create_project(project, name=name, crs=crs, area=bounds, overwrite=overwrite)
        ui.console.print(ui.m("created", path=store.location if isinstance(project, Path)
                              else str(store), name=store.name, crs=store.crs))

    @command("migrate")
    @boundary
    def migrate(project: Project,
                target: Annotated[Path, typer.Argument(
                    help=h("migrate_target"), show_default=False, metavar=arg("target"),
                    parser=project_arg)],
                overwrite: Annotated[bool, typer.Option("--overwrite",
                                                        help=h("overwrite_project"))] = False
                ) -> None:
        source = open_store(project)
        if isinstance(target, Path):
            check_parent(target)
        copy_project(ui, source, str(target), overwrite=overwrite)

    @command("ingest")
    @boundary
    def ingest(project: Project,
               file: Annotated[Path | None, typer.Argument(
                   help=h("file"), show_default=False, metavar=arg("file"))] = None,
               undo: Annotated[str | None, typer.Option(help=h("undo"))] = None,
               source: Annotated[str, typer.Option(help=h("source"))] = "table",
               map_: Annotated[list[str] | None, typer.Option("--map", help=h("map_opt"))] = None,
               profile: Annotated[Path | None, typer.Option(help=h("profile"))] = None,
               crs: Annotated[str | None, typer.Option("--crs", help=h("in_crs"))] = None,
               sheet: Annotated[str | None, typer.Option(help=h("sheet"))] = None,
               force: Annotated[bool, typer.Option("--force", help=h("ingest_force"))] = False,
               dayfirst: Annotated[bool | None, typer.Option(
                   "--dayfirst", help=h("dayfirst"), show_default=False)] = None,
               max_rows: Annotated[int | None, typer.Option(help=h("max_rows"))] = None,
               hidden_sheets: Annotated[bool, typer.Option(
                   "--hidden-sheets", help=h("hidden_sheets"))] = False,
               layer: Annotated[str | None, typer.Option(help=h("in_layer"))] = None) -> None:
        if undo is not None or file is None:
            return _undo(ui, project, undo, file)
        from trygg.layers.ingest import ingest_file
        from trygg.layers.sources.readers import read_options

        mapping = _parse_mapping(map_)
        if profile is not None:
            _check_profile(profile)
        store = open_store(project)
        check_input(file)
        steps = STEPS["en" if ui.lang == "en" else "sv"]
        with read_options(max_rows=max_rows, hidden_sheets=hidden_sheets or None,
                          layer=layer) as notes, ui.progress(file.name, steps) as advance:
            summary = ingest_file(store, file, source=source, mapping=mapping,
                                  profile=profile, crs=crs, sheet=sheet, on_step=advance,
                                  force=force, dayfirst=dayfirst)
        for sv, en in dict.fromkeys(notes):  # what the reader did, e.g. sheets skipped
            if (sv, en) not in summary.notes:  # those are printed with the summary
                ui.console.print(en if ui.lang == "en" else sv, markup=False)
        print_ingest(ui, summary, project)

    @command("gazetteer")
    @boundary
    def gazetteer(project: Project,
                  file: Annotated[Path, typer.Argument(help=h("gaz_file"), show_default=False,
                                                       metavar=arg("file"))],
                  kind: Annotated[str | None, typer.Option(help=h("kind"))] = None,
                  layer: Annotated[str | None, typer.Option(help=h("gaz_layer"))] = None) -> None:
        from trygg.layers.geocoding import add_to_gazetteer

        store = open_store(project)
        check_vector(file, "", layer)
        with ui.step(file.name), store.writing():  # read-merge-replace under the lock
            counts = add_to_gazetteer(store, file, kind=kind, layer=layer)
        ui.console.print(ui.m("gazetteer", counts=", ".join(
            ui.count(v, *GAZETTEER_KINDS[k]) for k, v in counts.items())))

    @command("geocode")
    @boundary
    def geocode(project: Project,
                overrides: Annotated[Path | None, typer.Option(help=h("overrides"))] = None
                ) -> None:
        from trygg.layers.geocoding import regeocode, set_overrides

        store = open_store(project)
        if overrides is not None:
            check_input(overrides, "--overrides")
            with store.writing():  # read-merge-replace under the lock
                n = set_overrides(store, overrides)
            ui.console.print(ui.m("overrides", n=ui.count(
                n, ("manuellt läge", "manuella lägen"), ("manual location", "manual locations"))))
        with ui.step(str(project)), store.writing():  # reads and replaces all reports
            result = regeocode(store)

        def fmt(counts) -> str:
            return code_counts(ui, "precision", counts) or ui.m("no_reports")

        ui.console.print(ui.m("geocoded", before=fmt(result["before"]),
                              after=fmt(result["after"])))
        if result["still_missing"]:
            top = list(result["still_missing"].items())[:10]
            ui.console.print("  " + ui.m("missing") + ": " + ", ".join(
                f"'{k}' {ui.number(v)}" for k, v in top), markup=False)

    @command("hotspots")
    @boundary
    def hotspots(
            project: Project,
            method: Annotated[str, typer.Option(help=h("method"))] = "gistar",
            name: Annotated[str | None, typer.Option(help=h("run_name"))] = None,
            cell: Annotated[float | None, typer.Option(help=h("cell"))] = None,
            grid: Annotated[str, typer.Option(help=h("grid"))] = "square",
            category: Annotated[list[str] | None, typer.Option(help=h("category"))] = None,
            source: Annotated[list[str] | None, typer.Option(help=h("sel_source"))] = None,
            kind: Annotated[list[str] | None, typer.Option(help=h("sel_kind"))] = None,
            since: Annotated[str | None, typer.Option(help=h("since"))] = None,
            until: Annotated[str | None, typer.Option(help=h("until"))] = None,
            hours: Annotated[str | None, typer.Option(help=h("hours"))] = None,
            weights: Annotated[bool, typer.Option("--weights", help=h("weights"))] = False,
            half_life: Annotated[float | None, typer.Option(help=h("half_life"))] = None,
            bandwidth: Annotated[float | None, typer.Option(help=h("bandwidth"))] = None,
            kernel: Annotated[str | None, typer.Option(help=h("kernel"))] = None,
            nb_dist: Annotated[float | None, typer.Option(help=h("nb_dist"))] = None,
            p_adjust: Annotated[str | None, typer.Option(help=h("p_adjust"))] = None,
            cluster_method: Annotated[str | None, typer.Option(help=h("cluster_method"))] = None,
            period: Annotated[str | None, typer.Option(help=h("period"))] = None,
            period_a: Annotated[str | None, typer.Option(help=h("period_a"))] = None,
            period_b: Annotated[str | None, typer.Option(help=h("period_b"))] = None,
            same_period_last_year: Annotated[bool, typer.Option(
                "--same-period-last-year", help=h("same_period"))] = False,
    ) -> None:
        from trygg.layers.hotspots.runs import METHODS, check_options, run_hotspots
        from trygg.layers.hotspots.select import Selection, parse_hours
        from trygg.layers.periods import parse_since, parse_until

        if since is not None:
            parse_since(since, "--since")
        if until is not None:
            parse_until(until, "--until")
        options = {k: v for k, v in {
            "bandwidth": bandwidth, "kernel": kernel, "nb_dist": nb_dist, "p_adjust": p_adjust,
            "cluster_method": cluster_method, "period": period,
            "period_a": _period(period_a, "--period-a"),
            "period_b": _period(period_b, "--period-b"),
            "same_period_last_year": same_period_last_year or None,
        }.items() if v is not None}
        if method in METHODS:  # an unknown method is named by run_hotspots
            given = {*options, *(k for k, v in (("cell", cell), ("weights", weights),
                                                ("half_life", half_life),
                                                ("grid", grid != "square")) if v)}
            check_options(method, given, cluster_method=cluster_method or "dbscan")
        grid_file = Path(grid) if grid not in ("square", "hex") else None
        if grid_file is not None:
            check_vector(grid_file, "--grid")
        selection = Selection(categories=category, sources=source, kinds=kind, since=since,
                              until=until, hours=parse_hours(hours))
        store = open_store(project)
        with ui.step(method), store.writing():  # reads and names decided under the lock
            result = run_hotspots(store, method, name=name, selection=selection, cell=cell,
                                  grid="square" if grid_file else grid, grid_file=grid_file,
                                  use_weights=weights, half_life_days=half_life,
                                  options=options)
        print_run(ui, result)

    @command("cameras")
    @boundary
    def cameras(
            project: Project,
            k: Annotated[int | None, typer.Option(help=h("k"))] = 10,
            target_coverage: Annotated[float | None, typer.Option(
                help=h("target_coverage"))] = None,
            candidates: Annotated[Path | None, typer.Option(help=h("candidates"))] = None,
            existing: Annotated[Path | None, typer.Option(help=h("existing"))] = None,
            buildings: Annotated[Path | None, typer.Option(help=h("buildings"))] = None,
            dsm: Annotated[Path | None, typer.Option(help=h("dsm"))] = None,
            streets: Annotated[Path | None, typer.Option(help=h("streets"))] = None,
            privacy: Annotated[list[str] | None, typer.Option(help=h("privacy"))] = None,
            range_: Annotated[float, typer.Option("--range", help=h("range"))] = 40.0,
            fov: Annotated[float, typer.Option(help=h("fov"))] = 360.0,
            min_dist: Annotated[float, typer.Option(help=h("min_dist"))] = 0.0,
            height: Annotated[float, typer.Option(help=h("height"))] = 4.0,
            half_life: Annotated[float, typer.Option(help=h("cam_half_life"))] = 365.0,
            night_factor: Annotated[float, typer.Option(help=h("night_factor"))] = 1.0,
            backup: Annotated[float, typer.Option(help=h("backup"))] = 0.0,
            privacy_penalty: Annotated[float, typer.Option(help=h("privacy_penalty"))] = 0.0,
            hours_share: Annotated[float, typer.Option(help=h("hours_share"))] = 0.8,
            category: Annotated[list[str] | None, typer.Option(help=h("category"))] = None,
            since: Annotated[str | None, typer.Option(help=h("since"))] = None,
            until: Annotated[str | None, typer.Option(help=h("until"))] = None,
            name: Annotated[str | None, typer.Option(help=h("cam_name"))] = None,
            out: Annotated[Path | None, typer.Option(help=h("out_cameras"))] = None,
    ) -> None:
        from trygg.layers.cameras.runs import run_cameras
        from trygg.layers.hotspots.select import Selection
        from trygg.layers.periods import parse_since, parse_until

        if since is not None:
            parse_since(since, "--since")
        if until is not None:
            parse_until(until, "--until")
        for path, option in ((candidates, "--candidates"), (existing, "--existing"),
                             (buildings, "--buildings"), (streets, "--streets"),
                             *((Path(p), "--privacy") for p in privacy or [])):
            if path is not None:
                check_vector(path, option)
        if dsm is not None:
            check_input(dsm, "--dsm")
        if out is not None:
            if out.exists() and not out.is_dir():
                raise ArgumentError(f"--out '{out}' är en fil; kameraplatserna skrivs till en "
                                    "mapp.",
                                    f"--out '{out}' is a file; the camera sites are written "
                                    "to a folder.")
            check_parent(out / "kameraplatser.csv")
        store = open_store(project)
        with ui.step("cameras"), store.writing():
            run = run_cameras(
                store, k=None if target_coverage is not None else k,
                target_coverage=target_coverage, name=name,
                selection=Selection(categories=category, since=since, until=until),
                candidates=candidates, existing=existing, buildings=buildings,
                streets=streets, surface=dsm, privacy=privacy, range_m=range_,
                fov_deg=fov, min_dist_m=min_dist, height_m=height,
                half_life_days=half_life, night_factor=night_factor, backup=backup,
                privacy_penalty=privacy_penalty, hours_share=hours_share)
        print_cameras(ui, run)
        if out is not None and len(run.plan.sites):
            from trygg.maps.cameras import write_camera_run

            with ui.step(str(out)):
                files = write_camera_run(store, run.run_id, out, lang=ui.lang)
            for path in files:
                ui.console.print("  " + ui.m("wrote", path=path), markup=False)

    @command("cameras-register", help_key="cameras_register")
    @boundary
    def cameras_register(
            project: Project,
            action: Annotated[str | None, typer.Argument(
                help=h("register_action"), show_default=False, metavar=arg("action"))] = None,
            camera: Annotated[str | None, typer.Argument(
                help=h("register_camera"), show_default=False, metavar=arg("camera"))] = None,
            run: Annotated[str | None, typer.Option(help=h("register_run"))] = None,
            site: Annotated[str | None, typer.Option(help=h("register_site"))] = None,
            x: Annotated[float | None, typer.Option(help=h("register_x"))] = None,
            y: Annotated[float | None, typer.Option(help=h("register_y"))] = None,
            purpose: Annotated[str | None, typer.Option(help=h("register_purpose"))] = None,
            place: Annotated[str | None, typer.Option(help=h("register_place"))] = None,
            status: Annotated[str | None, typer.Option(help=h("register_status"))] = None,
            date: Annotated[str | None, typer.Option(help=h("register_date"))] = None,
            note: Annotated[str | None, typer.Option(help=h("register_note"))] = None,
            out: Annotated[Path | None, typer.Option(help=h("register_out"))] = None,
    ) -> None:
        from trygg.layers.cameras import register as reg

        store = open_store(project)
        if action in (None, "list"):
            print_register(ui, reg.read_register(store), reg.due_for_deletion(
                reg.read_register(store)))
            if out is not None:
                from trygg.maps.export import export_layer

                if reg.TABLE not in store.layers():
                    raise ArgumentError("Registret är tomt; inget att exportera.",
                                        "The register is empty; nothing to export.")
                result = export_layer(store, reg.TABLE, out, force=True, lang=ui.lang)
                ui.console.print(ui.m("wrote", path=result.path), markup=False)
            return
        if action == "add":
            if purpose is None:
                raise ArgumentError("Ange syftet med --purpose \"…\" (vilket problem kameran "
                                    "ska motverka).",
                                    "Give the purpose with --purpose \"…\" (the problem the "
                                    "camera is to counter).")
            point, hours, direction, range_m, fov = _register_point(store, run, site, x, y)
            with store.writing():
                camera_id = reg.add_camera(
                    store, point, purpose=purpose, site_id=site or "", place_text=place or "",
                    status=status or "proposed", date=date, hours=hours, direction=direction,
                    range_m=range_m, fov_deg=fov, run_id=run or "", note=note or "")
            ui.console.print(ui.m("register_added", camera=camera_id,
                                  status=ui.label("camera_status", status or "proposed")),
                             markup=False)
            return
        if action == "set":
            if camera is None or status is None:
                raise ArgumentError(
                    f"Skriv trygg cameras-register {shell(project)} set KAMERA --status "
                    "decided|installed|removed [--date ÅÅÅÅ-MM-DD].",
                    f"Write trygg cameras-register {shell(project)} set CAMERA --status "
                    "decided|installed|removed [--date YYYY-MM-DD].")
            with store.writing():
                reg.set_status(store, camera, status, date=date, note=note)
            ui.console.print(ui.m("register_set", camera=camera,
                                  status=ui.label("camera_status", status)), markup=False)
            return
        raise ArgumentError(
            f"Okänd åtgärd '{action}': använd list, add eller set (se trygg cameras-register "
            "--help).",
            f"Unknown action '{action}': use list, add or set (see trygg cameras-register "
            "--help).")

    @command("cameras-evaluate", help_key="cameras_evaluate")
    @boundary
    def cameras_evaluate(
            project: Project,
            site: Annotated[str | None, typer.Option(help=h("evaluate_site"))] = None,
            installed: Annotated[Path | None, typer.Option(help=h("evaluate_installed"))] = None,
            out: Annotated[Path, typer.Option(help=h("out_evaluate"))] = Path("utvardering"),
            buffer: Annotated[float, typer.Option(help=h("evaluate_buffer"))] = 100.0,
            months: Annotated[int | None, typer.Option(help=h("evaluate_months"))] = None,
            control: Annotated[Path | None, typer.Option(help=h("evaluate_control"))] = None,
            range_: Annotated[float, typer.Option("--range", help=h("range"))] = 40.0,
    ) -> None:
        from trygg.layers.cameras.evaluate import evaluate_camera, file_cases, registered_cases
        from trygg.maps.camera_evaluation import write_evaluation

        if (site is None) == (installed is None):
            raise ArgumentError("Ange antingen --site KAMERA (ur registret) eller --installed "
                                "FIL (punkter med installationsdag).",
                                "Give either --site CAMERA (from the register) or --installed "
                                "FILE (points with an installation day).")
        if installed is not None:
            check_vector(installed, "--installed")
        area = None
        if control is not None:
            check_vector(control, "--control")
            import shapely

            from trygg.layers.areas import read_layer

            area = shapely.union_all(read_layer(control, option="--control", polygons=True)
                                     .to_crs(open_store(project).crs).geometry.to_numpy())
        if out.exists() and not out.is_dir():
            raise ArgumentError(f"--out '{out}' är en fil; utvärderingen skrivs till en mapp.",
                                f"--out '{out}' is a file; the evaluation is written to a "
                                "folder.")
        store = open_store(project)
        cases = registered_cases(store, site) if site else file_cases(
            str(installed), store.crs, range_m=range_)
        points = store.read_points(["category", "reported_at"]).to_geodataframe()
        for case in cases:
            ev = evaluate_camera(points, case.watched, case.installed, buffer_m=buffer,
                                 control=area, months=months)
            files = write_evaluation(ev, case.camera_id, out, project=store.name,
                                     buffer_m=buffer, controlled=area is not None,
                                     lang=ui.lang, synthetic=store.synthetic)
            print_evaluation(ui, case.camera_id, ev)
            for path in files:
                ui.console.print("  " + ui.m("wrote", path=path), markup=False)

    @command("map")
    @boundary
    def map_(project: Project,
             out: Annotated[Path, typer.Option("--out", help=h("out_map"))] = Path("karta.html"),
             background: Annotated[list[Path] | None,
                                   typer.Option(help=h("background"))] = None,
             runs: Annotated[list[str] | None, typer.Option(help=h("runs"))] = None,
             basemap: Annotated[str, typer.Option(help=h("basemap"))] = "none",
             attribution: Annotated[str | None, typer.Option(help=h("attribution"))] = None,
             max_points: Annotated[int, typer.Option(help=h("max_points"))] = 200_000,
             cluster_min: Annotated[int, typer.Option(help=h("cluster_min"))] = 5_000,
             audience: Annotated[str, typer.Option(help=h("audience"))] = "intern",
             min_count: Annotated[int, typer.Option(min=1, help=h("min_count"))] = 3
             ) -> None:
        from trygg.maps.export import check_target
        from trygg.maps.karta import write_map

        for option, value in (("--max-points", max_points), ("--cluster-min", cluster_min)):
            if value < 0:
                raise ArgumentError(f"{option} ska vara 0 eller mer, inte {value}.",
                                    f"{option} must be 0 or more, not {value}.")
        store = open_store(project)
        if runs:
            from trygg.layers.hotspots.catalog import resolve_runs

            runs = resolve_runs(store, runs)
        for path in background or []:
            check_vector(path, "--background")
        # A map is made again and again: an existing HTML file is replaced, but never
        # the project or a file the map reads.
        check_target(out, [project, *(background or [])], force=True)
        _check_map_out(out)
        check_parent(out, create=False)
        if audience not in ("intern", "publik"):
            raise ArgumentError(f"--audience ska vara intern eller publik, inte '{audience}'.",
                                f"--audience must be intern or publik, not '{audience}'.")
        with ui.step(str(out)):
            if audience == "publik":
                from trygg.maps.publik import write_public_map

                write_public_map(store, out, lang=ui.lang, min_count=min_count,
                                 background=background, runs=runs)
            else:
                write_map(store, out, lang=ui.lang, background=background, runs=runs,
                          basemap=basemap, attribution=attribution, max_points=max_points,
                          cluster_min=cluster_min)
        ui.console.print(ui.m("wrote", path=out))

    @command("export")
    @boundary
    def export(project: Project,
               layer: Annotated[str, typer.Option(help=h("layer"))] = "reports",
               out: Annotated[Path, typer.Option("--out", help=h("out_file"))] = Path(
                   "rapporter.xlsx"),
               force: Annotated[bool, typer.Option("--force", help=h("force"))] = False,
               columns: Annotated[str | None, typer.Option(help=h("columns"),
                                                           show_default=False)] = None
               ) -> None:
        from trygg.maps.export import check_target, export_layer

        store = open_store(project)
        check_target(out, [project], force=force)
        check_parent(out, create=False)
        with ui.step(str(out)):
            result = export_layer(store, layer, out, force=force, columns=columns,
                                  lang=ui.lang)
        for sv, en in result.notes:
            ui.console.print(en if ui.lang == "en" else sv, markup=False)
        ui.console.print(ui.m("wrote", path=out))

    @command("info")
    @boundary
    def info(project: Project) -> None:
        from trygg.layers.hotspots.catalog import list_runs
        from trygg.layers.ingest import list_ingests
        from trygg.layers.summary import project_summary

        store = open_store(project)
        print_info(ui, project_summary(store), list_ingests(store))
        print_runs(ui, list_runs(store))

    @command("runs", help_key="runs_cmd")
    @boundary
    def runs_(project: Project,
              action: Annotated[str | None, typer.Argument(
                  help=h("runs_action"), show_default=False, metavar=arg("action"))] = None,
              names: Annotated[list[str] | None, typer.Argument(
                  help=h("runs_names"), show_default=False, metavar=arg("names"))] = None
              ) -> None:
        from trygg.layers.hotspots.catalog import list_runs, remove_runs

        store = open_store(project)
        if action is None:
            print_runs(ui, list_runs(store))
            return
        if action != "remove" or not names:
            raise ArgumentError(
                f"Skriv trygg runs {shell(project)} för att lista körningarna, eller trygg "
                f"runs {shell(project)} remove KÖRNING … för att ta bort dem (inte '{action}'"
                + (" utan namn)." if action == "remove" else ")."),
                f"Write trygg runs {shell(project)} to list the runs, or trygg runs "
                f"{shell(project)} remove RUN … to remove them (not '{action}'"
                + (" without names)." if action == "remove" else ")."))
        with ui.step(str(project)):
            removed = remove_runs(store, names)
        for run in removed:
            ui.console.print(ui.m("run_removed", run=run.run_id, layers=", ".join(
                [*run.layers, *(p.name for p in run.files)]) or "-"), markup=False)

    from trygg.cli_walks import add_walk_commands

    add_walk_commands(app, command, ui, h, arg, Project)
    from trygg.cli_reports import add_report_commands

    add_report_commands(app, command, ui, h, arg, Project)
    from trygg.cli_serve import add_serve_commands

    add_serve_commands(app, command, ui, h, arg, Project)

    @command("demo")
    @boundary
    def demo(out: Annotated[Path, typer.Option("--out", help=h("out_dir"))] = Path(
            "out/demo")) -> None:
        from trygg.demo_run import build_demo

        if out.exists() and not out.is_dir():
            raise ArgumentError(f"--out '{out}' är en fil; demot behöver en mapp.",
                                f"--out '{out}' is a file; the demo needs a folder.")
        check_parent(out / "demo.gpkg")
        with ui.step(str(out)):
            paths, summaries, runs = build_demo(out, lang=ui.lang)
        print_demo(ui, paths, summaries, runs)

    return app


def _period(text: str | None, option: str) -> tuple[str, str] | None:
    """``"2025-01:2025-06"`` → ``("2025-01-01", "2025-07-01")``: the period's first day
    and the day after its last (the end excluded, as the change method takes it)."""
    from trygg.layers.periods import parse_range

    return None if text is None else parse_range(text, option).half_open()


# -- files and paths: every mistake is one line naming the file ---------------------------
def _what(option: str) -> str:
    return f" ({option})" if option else ""


def check_input(path: Path, option: str = "") -> None:
    """An input file must exist and be a file (not a folder)."""
    if path.is_dir():
        raise InputFileError(f"'{path}'{_what(option)} är en mapp, inte en fil. Ange "
                             "filen i mappen.",
                             f"'{path}'{_what(option)} is a folder, not a file. Give "
                             "the file inside it.")
    if not path.is_file():
        raise InputFileError(f"Filen '{path}' finns inte. Kontrollera sökvägen.",
                             f"The file '{path}' does not exist. Check the path.")


#: Options whose file may name its layer after a colon (``FILE:LAYER``).
LAYER_OPTIONS = ("--area", "--grid", "--candidates", "--existing", "--buildings", "--streets",
                 "--privacy", "--installed", "--control", "--network", "--sites",
                 "--areas", "--places", "--population")


def check_vector(path: Path, option: str, layer: str | None = None) -> None:
    """An input must be a readable vector file (GeoPackage, GeoJSON, Shapefile …), holding
    ``layer`` when one is named (as ``layer`` or, for :data:`LAYER_OPTIONS`, as
    ``FILE:LAYER``)."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    from trygg.layers.areas import split_layer

    if layer is None and option in LAYER_OPTIONS:
        path, layer = split_layer(path)
    check_input(path, option)
    try:
        layers = pyogrio.list_layers(path)
    except (DataSourceError, DataLayerError) as exc:
        reason = _first_line(exc)
        raise InputFileError(
            f"'{path}'{_what(option)} går inte att läsa som geodata (GeoPackage, "
            f"GeoJSON, Shapefile …): {reason}",
            f"'{path}'{_what(option)} cannot be read as vector data (GeoPackage, "
            f"GeoJSON, Shapefile …): {reason}") from None
    if len(layers) == 0:
        raise InputFileError(f"'{path}'{_what(option)} har inga lager med geodata.",
                             f"'{path}'{_what(option)} has no vector layers.")
    names = [str(name) for name, _ in layers]
    if layer is not None and layer not in names:
        raise InputFileError(f"'{path}' har inget lager '{layer}'; finns: {', '.join(names)}.",
                             f"'{path}' has no layer '{layer}'; it has: {', '.join(names)}.")
    spatial = [str(name) for name, kind in layers if kind is not None]
    if layer is not None and layer not in spatial:
        sv, en = _NEEDS.get(option, _NEEDS[""])
        raise InputFileError(f"Lagret '{layer}' i '{path}'{_what(option)} har ingen geometri; "
                             f"{sv}.",
                             f"The layer '{layer}' of '{path}'{_what(option)} has no geometry; "
                             f"{en}.")
    if not spatial:
        sv, en = _NEEDS.get(option, _NEEDS[""])
        raise InputFileError(f"'{path}'{_what(option)} har inga lager med geometri; {sv}.",
                             f"'{path}'{_what(option)} has no layers with geometry; {en}.")


#: What each vector input needs, for the message when its file has no geometry.
_NEEDS = {
    "": ("ortsregistret behöver punkter, linjer eller ytor (GeoPackage, GeoJSON, Shapefile)",
         "the gazetteer needs points, lines or polygons (GeoPackage, GeoJSON, Shapefile)"),
    "--area": ("projektområdet behöver ytor, t.ex. kommungränsen (GeoPackage, GeoJSON, "
               "Shapefile)",
               "the project area needs polygons, e.g. the municipal boundary (GeoPackage, "
               "GeoJSON, Shapefile)"),
    "--grid": ("rutnätet behöver ytor (GeoPackage, GeoJSON, Shapefile)",
               "the grid needs polygons (GeoPackage, GeoJSON, Shapefile)"),
    "--background": ("bakgrunden behöver punkter, linjer eller ytor (GeoPackage, GeoJSON, "
                     "Shapefile)",
                     "the background needs points, lines or polygons (GeoPackage, GeoJSON, "
                     "Shapefile)"),
}


#: Suffixes a map's ``--out`` may have.
MAP_SUFFIXES = (".html", ".htm")


def _check_map_out(out: Path) -> None:
    """A map is an HTML page: ``--out`` must end in .html or .htm, and an existing file
    is replaced only when it is an HTML page (maps are made again and again); any other
    file is refused."""
    if out.suffix.lower() not in MAP_SUFFIXES:
        example = out.with_suffix(".html").name if out.name else "karta.html"
        raise ArgumentError(f"--out '{out}' för en karta ska sluta på .html eller .htm, "
                            f"t.ex. {example}.",
                            f"--out '{out}' for a map must end in .html or .htm, e.g. "
                            f"{example}.")
    if out.is_file() and not out.is_symlink():
        try:
            with open(out, "rb") as fh:
                head = fh.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        except OSError:
            return  # the writer names the file and the reason
        if not (head.startswith(b"<!doctype html") or head.startswith(b"<html")):
            raise ArgumentError(f"--out '{out}' finns redan och är ingen HTML-sida; den "
                                "ersätts inte. Välj ett annat namn.",
                                f"--out '{out}' already exists and is not an HTML page; it is "
                                "not replaced. Choose another name.")


def _check_profile(path: Path) -> None:
    """A profile must be a readable TOML file with values of the right types."""
    from trygg.layers.ingest import load_profile

    check_input(path, "--profile")
    load_profile(path)


def _register_point(store, run: str | None, site: str | None, x: float | None,
                    y: float | None) -> tuple[tuple[float, float], str, float | None, float,
                                              float]:
    """Where a camera added to the register stands, and what its planning run proposed:
    ``(point, hours, direction, range_m, fov_deg)`` from ``--run``/``--site`` or
    ``--x``/``--y``."""
    import json

    if run and site:
        layer = f"camera_sites_{run}"
        if layer not in store.layers():
            raise ArgumentError(f"Projektet har ingen kamerakörning {run} (se trygg runs).",
                                f"The project has no camera run {run} (see trygg runs).")
        sites = store.read_layer(layer)
        hit = sites[sites["site_id"].astype(str) == site]
        if hit.empty:
            raise ArgumentError(f"Körningen {run} har ingen vald plats {site}.",
                                f"The run {run} has no chosen site {site}.")
        row = hit.iloc[0]
        runs = store.read("runs")
        params = json.loads(runs[runs["run_id"] == run].iloc[0]["params"]).get("plan", {})
        direction = None if _missing(row["direction"]) else float(row["direction"])
        return ((float(row.geometry.x), float(row.geometry.y)), str(row["hours_window"] or ""),
                direction, float(params.get("range_m", 40.0)), float(params.get("fov_deg",
                                                                                 360.0)))
    if x is None or y is None:
        raise ArgumentError("Ange var kameran står: --run KÖRNING --site PLATS, eller --x och "
                            "--y (projektets koordinatsystem, meter).",
                            "Give where the camera stands: --run RUN --site SITE, or --x and "
                            "--y (the project's coordinate system, metres).")
    return (x, y), "", None, 40.0, 360.0


def _missing(value: object) -> bool:
    """True for None and NaN."""
    return value is None or value != value


def project_arg(value: str) -> Path | str:
    """A project argument as the store takes it: a ``postgresql://`` URL as it is (a
    path would fold its ``//``), anything else a path."""
    if value.startswith(("postgresql://", "postgres://")):
        return value
    return Path(value)


def check_parent(out: Path, *, create: bool = True) -> None:
    """The folder of an output must be a folder (or, with ``create``, creatable: no file
    on the way) that takes new files (tried with a hidden probe file, removed at once).
    Without ``create`` a missing folder is refused: a typo in the path must not make
    folders."""
    import uuid

    for parent in out.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ArgumentError(f"'{out}' kan inte skrivas: '{parent}' är en fil, inte en "
                                    "mapp.",
                                    f"'{out}' cannot be written: '{parent}' is a file, not a "
                                    "folder.")
            break
    if not out.parent.is_dir():
        if not create:
            raise ArgumentError(f"Mappen '{out.parent}' för '{out}' finns inte. Skapa den "
                                "först eller välj en befintlig mapp.",
                                f"The folder '{out.parent}' for '{out}' does not exist. "
                                "Create it first or choose an existing folder.")
        return  # made by the writer
    probe = out.parent / f".{out.stem}.{uuid.uuid4().hex[:8]}.tmp"
    try:
        probe.open("xb").close()
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or _first_line(exc)
        raise InputFileError(f"Kan inte skriva '{out}' i mappen '{out.parent}': {reason}. "
                             "Välj en annan plats.",
                             f"Cannot write '{out}' in the folder '{out.parent}': {reason}. "
                             "Choose another place.") from None


def copy_project(ui, source, target: str, *, overwrite: bool = False) -> None:
    """Copy the open project ``source`` to ``target`` (``trygg migrate``, ``trygg serve
    --from``) and say what was copied, table by table."""
    from trygg.layers.migrate import migrate_project

    with ui.step(str(source)):
        done = migrate_project(source, target, overwrite=overwrite)
    counts = ", ".join(f"{name} {ui.number(n)}" for name, n in done.counts.items())
    ui.console.print(ui.m("migrated", source=str(source), target=str(open_store(target)),
                          counts=counts), markup=False)


def open_store(project: Path):
    """Open the project, refusing a damaged one or one without the core tables."""
    from trygg.layers.store import open_project

    try:
        store = open_project(project)
        layers = set(store.layers())
        store.meta()
    except (sqlite3.DatabaseError, *_gdal_errors()) as exc:
        raise _damaged_project(project, exc) from None
    missing = [t for t in ("reports", "rejects", "ingests", "runs") if t not in layers]
    if missing:
        raise ProjectError(f"Projektet '{project}' saknar {', '.join(missing)} och är skadat "
                           "eller inte gjort med trygg init. Återställ en säkerhetskopia eller "
                           "skapa ett nytt med trygg init.",
                           f"The project '{project}' lacks {', '.join(missing)} and is "
                           "damaged or not made with trygg init. Restore a backup or create a "
                           "new one with trygg init.")
    return store


def _gdal_errors() -> tuple[type[Exception], ...]:
    from pyogrio.errors import DataLayerError, DataSourceError

    return DataSourceError, DataLayerError


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _sqlite_problem(path: Path) -> str | None:
    """What SQLite finds wrong with ``path`` (opened read-only), or ``None`` if it is fine."""
    from trygg.layers.store import damage

    return damage(path)


def _damaged_project(project: Path, exc: BaseException) -> ProjectError:
    reason = _sqlite_problem(project) or _first_line(exc)
    return ProjectError(f"Projektet '{project}' är skadat och kan inte läsas ({reason}). "
                        "Återställ en säkerhetskopia; trygg ändrade ingenting.",
                        f"The project '{project}' is damaged and cannot be read ({reason}). "
                        "Restore a backup; trygg changed nothing.")


_OS_MESSAGES = {
    FileNotFoundError: ("'{f}' finns inte.", "'{f}' does not exist."),
    IsADirectoryError: ("'{f}' är en mapp, inte en fil.", "'{f}' is a folder, not a file."),
    NotADirectoryError: ("'{f}': en del av sökvägen är en fil, inte en mapp.",
                         "'{f}': part of the path is a file, not a folder."),
    PermissionError: ("Behörighet saknas till '{f}' (skrivskyddad fil eller mapp?). Välj en "
                      "annan plats eller ändra behörigheten.",
                      "No permission for '{f}' (a read-only file or folder?). Choose another "
                      "place or change the permission."),
}


def file_error(exc: BaseException, paths: list[Path] | None = None) -> UserError | None:
    """The one-line message for a file or path error, or ``None`` for anything else.

    Parameters
    ----------
    exc
        An exception raised below a command.
    paths
        The files the command reads and writes, project first: a GDAL or SQLite
        error that names none of them is checked against the project.
    """
    import errno

    paths = [Path(p) for p in paths or []]
    if isinstance(exc, UserError):
        return exc
    if isinstance(exc, tomllib.TOMLDecodeError):
        return InputFileError(f"En TOML-fil är inte giltig: {exc}.",
                              f"A TOML file is not valid: {exc}.")
    if isinstance(exc, OSError):
        name = exc.filename or (paths[0] if paths else "?")
        if exc.filename2:
            name = f"{exc.filename}' → '{exc.filename2}"
        target = _written(exc.filename, paths)
        if target is not None:
            reason = exc.strerror or _first_line(exc)
            return InputFileError(f"Kan inte skriva '{target}' i mappen '{target.parent}': "
                                  f"{reason}. Välj en annan plats.",
                                  f"Cannot write '{target}' in the folder '{target.parent}': "
                                  f"{reason}. Choose another place.")
        for kind, (sv, en) in _OS_MESSAGES.items():
            if isinstance(exc, kind):
                return InputFileError(sv.format(f=name), en.format(f=name))
        if exc.errno == errno.EROFS:
            return InputFileError(f"'{name}' ligger på ett skrivskyddat filsystem.",
                                  f"'{name}' is on a read-only file system.")
        if exc.errno == errno.ENOSPC:
            return InputFileError(f"Disken är full ('{name}'). Frigör utrymme och försök igen.",
                                  f"The disk is full ('{name}'). Free some space and try again.")
        reason = exc.strerror or _first_line(exc)
        return InputFileError(f"Kan inte läsa eller skriva '{name}': {reason}.",
                              f"Cannot read or write '{name}': {reason}.")
    if isinstance(exc, (sqlite3.DatabaseError, *_gdal_errors())):
        text, reason = str(exc), _first_line(exc)
        project = paths[0] if paths else None
        if (project is not None and project.suffix.lower() == ".gpkg" and project.is_file()
                and _sqlite_problem(project)):
            return _damaged_project(project, exc)
        for path in paths:
            if f".{path.stem}." in text and ".tmp" in text:  # its hidden working file
                return InputFileError(f"Kan inte skriva '{path}' i mappen '{path.parent}': "
                                      f"{reason}. Välj en annan plats.",
                                      f"Cannot write '{path}' in the folder "
                                      f"'{path.parent}': {reason}. Choose another place.")
        for path in paths:
            if str(path) in text:
                return InputFileError(f"'{path}' går inte att läsa eller skriva: {reason}",
                                      f"'{path}' cannot be read or written: {reason}")
    return None


def _written(filename, paths: list[Path]) -> Path | None:
    """The output among ``paths`` whose hidden working file (``.NAME.….tmp…`` beside it,
    as every writer here uses) is ``filename``, or ``None``."""
    if not filename:
        return None
    tmp = Path(str(filename))
    for path in paths:
        if (tmp.parent == path.parent and tmp.name.startswith(f".{path.stem}.")
                and ".tmp" in tmp.name):
            return path
    return None


def _command_paths(kwargs: dict) -> list[Path]:
    """The paths among a command's arguments, the project first."""
    paths: list[Path] = []
    for key, value in kwargs.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, Path):
                paths.insert(0, v) if key == "project" else paths.append(v)
            elif key == "grid" and v not in ("square", "hex"):
                paths.append(Path(v))
    return paths


def boundary(command):
    """Turn the file and path errors below ``command`` into one-line messages that name
    the file; anything else (a bug) goes on with its traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except UserError:
            raise
        except (OSError, sqlite3.DatabaseError, tomllib.TOMLDecodeError,
                *_gdal_errors()) as exc:
            mapped = file_error(exc, _command_paths(kwargs))
            if mapped is None:
                raise
            raise mapped from exc

    return wrapper


def _undo(ui: Ui, project: Path, ingest_id: str | None, file: Path | None) -> None:
    """``trygg ingest PROJECT --undo ID``: remove one ingest and what came from it."""
    from trygg.layers.ingest import undo_ingest

    if ingest_id is None:
        raise ArgumentError(f"Ange filen att läsa in: trygg ingest {shell(project)} FIL (eller "
                            "--undo ID för att ångra en inläsning).",
                            f"Give the file to ingest: trygg ingest {shell(project)} FILE (or "
                            "--undo ID to undo an ingest).")
    if file is not None:
        command = f"trygg ingest {shell(project)} --undo {shell(ingest_id)}"
        raise ArgumentError(f"--undo tar ingen fil: {command}.",
                            f"--undo takes no file: {command}.")
    store = open_store(project)
    with ui.step(str(project)):
        done = undo_ingest(store, ingest_id)
    ui.console.print(ui.m(
        "undone", ingest=done.ingest_id, file=done.file,
        reports=ui.count(done.reports, ("rapport", "rapporter"), ("report", "reports")),
        rejects=ui.count(done.rejects, ("avvisad rad", "avvisade rader"),
                         ("rejected row", "rejected rows")),
        links=ui.count(done.links, ("länk", "länkar"), ("link", "links"))), markup=False)
    if done.runs:
        ui.console.print(ui.m("undone_runs", runs=", ".join(done.runs)), markup=False)


def main(argv: list[str] | None = None) -> int:
    """Run ``trygg``; returns the exit code (0 ok, 2 user mistake)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from_argv(argv)
    ui_lang = lang if lang in LANGS else "sv"
    app = make_app(ui_lang)
    err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
    label = MESSAGES["error"][ui_lang == "en"]
    try:
        result = typer.main.get_command(app).main(args=argv, prog_name="trygg",
                                                  standalone_mode=False)
    except UserError as exc:
        err.print(f"{label}: {exc.text(ui_lang)}", markup=False)
        return 2
    except typer.TyperException as exc:  # usage errors from the argument parser
        ctx = getattr(exc, "ctx", None)
        if ctx is not None and _wants_help(exc):
            # `trygg` alone, or only trygg's own options: the help, as --help shows it
            if lang not in LANGS:
                err.print(f"{label}: {ui_text(MESSAGES, 'bad_lang', ui_lang, value=lang)}",
                          markup=False)
                return 2
            typer.echo(ctx.get_help())
            return 0
        command = ctx.command_path if ctx is not None else _command_of(app, argv)
        err.print(f"{label}: {mistake(exc, ui_lang)} {see_help(command, ui_lang)}",
                  markup=False)
        code = getattr(exc, "exit_code", 2)
        return code if isinstance(code, int) and code not in (0, 2) else 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        err.print(ui_text(FRAMEWORK, "aborted", ui_lang), markup=False)
        return 1
    except KeyboardInterrupt:
        return 130
    except (OSError, sqlite3.DatabaseError, tomllib.TOMLDecodeError) as exc:
        # Last resort for file errors no command boundary caught; anything else is a bug
        # and keeps its traceback. TRYGG_TRACEBACK=1 shows it for these too.
        mapped = file_error(exc)
        if mapped is None or os.environ.get("TRYGG_TRACEBACK"):
            raise
        err.print(f"{label}: {mapped.text(ui_lang)}", markup=False)
        return 2
    return result if isinstance(result, int) else 0


def _wants_help(exc: BaseException) -> bool:
    """Whether the parser stopped because no command was given (``trygg`` alone, or
    ``trygg --lang en``): then the user gets the help, not a mistake."""
    return (type(exc).__name__ == "NoArgsIsHelpError"
            or str(getattr(exc, "message", "")) == "Missing command.")


def _command_of(app: typer.Typer, argv: list[str]) -> str:
    """``"trygg map"`` for the command named in ``argv`` (``"trygg"`` when none is): for
    the pointer to the help when the parser's mistake carries no context."""
    names = {c.name for c in app.registered_commands} | {
        c.callback.__name__ for c in app.registered_commands if c.callback is not None}
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token == "--lang":
            skip = True
        elif not token.startswith("-"):
            return f"trygg {token}" if token in names else "trygg"
    return "trygg"


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())


if __name__ == "__main__":
    run()
