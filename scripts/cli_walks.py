"""The safety-walk commands of ``trygg``: ``walk``, ``walk-import`` and ``actions``.

Added to the app by :func:`trygg.cli.make_app` through :func:`add_walk_commands`,
with the same boundary (one-line messages, exit code 2) as every other command.
"""


from pathlib import Path
from typing import Annotated

import typer

from trygg.geo.errors import ArgumentError
from trygg.printing import print_actions, print_walk, print_walk_import, shell


def _date_option(value: str | None, option: str) -> str | None:
    """``value`` as YYYY-MM-DD (read as every date option is, :mod:`layers.periods`),
    or a one-line message naming ``option``; ``--since`` also takes a week or month
    (its first day), the others one day."""
    from trygg.layers.periods import parse_span

    if value is None:
        return None
    span = parse_span(value, option)
    if option != "--since" and span.first != span.last:
        raise ArgumentError(f"{option} ska vara en dag, ÅÅÅÅ-MM-DD, inte '{value}'.",
                            f"{option} must be one day, YYYY-MM-DD, not '{value}'.")
    return span.first.isoformat()


def _responsible(text: str | None) -> tuple[str, ...]:
    from trygg.layers.walks.protocol import RESPONSIBLE

    if text is None:
        return tuple(RESPONSIBLE)
    names = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
    if not names:
        raise ArgumentError("--responsible ska vara namn med komma emellan, t.ex. "
                            "\"kommun,Bostadsbolaget,polis,annan\".",
                            "--responsible must be names separated by commas, e.g. "
                            "\"kommun,Bostadsbolaget,polis,annan\".")
    return names


def add_walk_commands(app: typer.Typer, command, ui, h, arg, project_type) -> None:
    """Add ``walk``, ``walk-import`` and ``actions`` to ``app``.

    ``command``, ``h`` and ``arg`` are :func:`trygg.cli.make_app`'s helpers for a
    command's help, an option's help and an argument's name; ``project_type`` the
    annotated PROJECT argument.
    """
    from trygg.cli import boundary, check_input, check_parent, check_vector, open_store

    @command("walk")
    @boundary
    def walk(
            project: project_type,
            area: Annotated[str, typer.Option(help=h("walk_area"), show_default=False)],
            out: Annotated[Path, typer.Option(help=h("out_walk"), show_default=False)],
            stops: Annotated[int, typer.Option(min=1, max=60, help=h("walk_stops"))] = 12,
            max_km: Annotated[float | None, typer.Option(help=h("walk_max_km"))] = None,
            sites: Annotated[Path | None, typer.Option(help=h("walk_sites"))] = None,
            sites_only: Annotated[bool, typer.Option(help=h("walk_sites_only"))] = False,
            start: Annotated[str | None, typer.Option(help=h("walk_start"))] = None,
            network: Annotated[Path | None, typer.Option(help=h("walk_network"))] = None,
            date: Annotated[str | None, typer.Option(help=h("walk_date"))] = None,
            line: Annotated[bool, typer.Option(help=h("walk_line"))] = False,
            since: Annotated[str | None, typer.Option(help=h("walk_since"))] = None,
            responsible: Annotated[str | None, typer.Option(help=h("walk_responsible"))] = None,
            name: Annotated[str | None, typer.Option(help=h("walk_name"))] = None,
    ) -> None:
        from trygg.layers.walks.plan import plan_walk
        from trygg.maps.walks import write_walk

        if max_km is not None and max_km <= 0:
            raise ArgumentError(f"--max-km ska vara större än 0, inte {max_km}.",
                                f"--max-km must be more than 0, not {max_km}.")
        day = _date_option(date, "--date")
        first = _date_option(since, "--since")
        who = _responsible(responsible)
        for path, option in ((sites, "--sites"), (network, "--network")):
            if path is not None:
                check_vector(path, option)
        if sites_only and sites is None:
            raise ArgumentError("--sites-only kräver --sites FIL med de egna platserna.",
                                "--sites-only needs --sites FILE with your own sites.")
        if out.exists() and not out.is_dir():
            raise ArgumentError(f"--out '{out}' är en fil; vandringen skrivs till en mapp.",
                                f"--out '{out}' is a file; the walk is written to a folder.")
        check_parent(out / "vandring.html")
        store = open_store(project)
        with ui.step("walk"), store.writing():
            plan = plan_walk(store, area, stops=stops, max_km=max_km, sites=sites,
                             sites_mode="only" if sites_only else "mix", start=start,
                             network=network, date=day, loop=not line, name=name,
                             since=first)
        with ui.step(str(out)):
            files = write_walk(store, plan.walk_id, out, lang=ui.lang, responsible=who)
        print_walk(ui, plan)
        for path in files:
            ui.console.print("  " + ui.m("wrote", path=path), markup=False)
        ui.console.print(ui.m("walk_next", project=shell(project),
                              protocol=shell(files[1])), markup=False)

    @command("walk-import", help_key="walk_import")
    @boundary
    def walk_import(
            project: project_type,
            file: Annotated[Path, typer.Argument(help=h("file"), show_default=False,
                                                 metavar=arg("file"))],
            today: Annotated[str | None, typer.Option(help=h("import_today"))] = None,
    ) -> None:
        from trygg.layers.walks.findings import import_protocol

        check_input(file)
        day = _date_option(today, "--today")
        store = open_store(project)
        with ui.step(str(file)), store.writing():
            result = import_protocol(store, file, today=day)
        print_walk_import(ui, result, project)

    @command("actions")
    @boundary
    def actions(
            project: project_type,
            action: Annotated[str | None, typer.Argument(
                help=h("actions_action"), show_default=False, metavar=arg("list_set"))] = None,
            action_id: Annotated[str | None, typer.Argument(
                help=h("actions_id"), show_default=False, metavar=arg("action_id"))] = None,
            status: Annotated[str | None, typer.Option(help=h("actions_status"))] = None,
            date: Annotated[str | None, typer.Option(help=h("actions_date"))] = None,
            note: Annotated[str | None, typer.Option(help=h("actions_note"))] = None,
            responsible: Annotated[str | None, typer.Option(
                help=h("actions_responsible"))] = None,
            today: Annotated[str | None, typer.Option(help=h("actions_today"))] = None,
            out: Annotated[Path | None, typer.Option(help=h("out_actions"))] = None,
    ) -> None:
        from trygg.layers.walks import actions as act

        if action in (None, "list"):
            day = _date_option(today, "--today")
            if out is not None:
                if out.suffix.lower() not in (".xlsx", ".csv"):
                    raise ArgumentError(f"--out ska sluta på .xlsx eller .csv, inte "
                                        f"'{out.name}'.",
                                        f"--out must end in .xlsx or .csv, not '{out.name}'.")
                check_parent(out, create=False)
            store = open_store(project)
            register = act.read_actions(store)
            if responsible is not None:
                register = register[register["responsible"].astype(str) == responsible]
            from trygg.layers.indicators import closed_within

            rule = closed_within(store.read_reports(["category", "reported_at", "closed_at"]))
            print_actions(ui, register, act.by_responsible(register, today=day),
                          act.overdue(register, today=day), project, rule=rule)
            if out is not None:
                from trygg.maps.walks import write_action_list

                with ui.step(str(out)):
                    path = write_action_list(store, out, lang=ui.lang, today=day,
                                             responsible=responsible)
                ui.console.print(ui.m("wrote", path=path), markup=False)
            return
        if action == "set":
            if action_id is None or status is None:
                raise ArgumentError(
                    f"Skriv trygg actions {shell(project)} set ÅTGÄRD --status "
                    "in_progress|done|declined [--date ÅÅÅÅ-MM-DD].",
                    f"Write trygg actions {shell(project)} set ACTION --status "
                    "in_progress|done|declined [--date YYYY-MM-DD].")
            day = _date_option(date, "--date")
            store = open_store(project)
            with store.writing():
                act.set_action(store, action_id, status, date=day, note=note)
            ui.console.print(ui.m("action_set", action=action_id,
                                  status=ui.label("action_status", status)), markup=False)
            return
        raise ArgumentError(
            f"Okänd åtgärd '{action}': använd list eller set (se trygg actions --help).",
            f"Unknown action '{action}': use list or set (see trygg actions --help).")
