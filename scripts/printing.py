"""What the ``trygg`` command prints: messages, numbers and the summaries of each step.

:class:`Ui` holds the language (``sv`` or ``en``) and the console of one invocation;
the ``print_*`` functions turn what the library returns (an ingest summary, a hotspot
run, a project summary, the demo's results) into the lines the user reads. Light to
import: rich's console only; anything heavier is imported inside a printer.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from rich.console import Console

from trygg.geo import text as _text
from trygg.texts import MESSAGES

__all__ = ["MESSAGES", "Ui", "code_counts", "print_actions", "print_cameras", "print_demo",
           "print_evaluation", "print_info", "print_ingest", "print_register", "print_run",
           "print_runs", "print_walk", "print_walk_import", "shell"]


class Ui:
    """Language, console and helpers shared by the commands of one invocation."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        # Paths, names and report values are printed as they are: never as rich markup.
        self.console = Console(highlight=False, soft_wrap=True, markup=False)

    def pick(self, sv: str, en: str) -> str:
        """The Swedish or the English text, by :attr:`lang`."""
        return en if self.lang == "en" else sv

    def m(self, key: str, **kw: object) -> str:
        """The message ``key`` of :data:`MESSAGES` in :attr:`lang`, formatted with ``kw``."""
        return self.pick(*MESSAGES[key]).format(**kw)

    def number(self, n: float, decimals: int = 0) -> str:
        """``n`` as :func:`trygg.geo.text.number` writes it in :attr:`lang` ("1 234")."""
        return _text.number(n, decimals, lang=self.lang)

    def count(self, n: int, sv: tuple[str, str], en: tuple[str, str]) -> str:
        """``n`` and a noun in the right number: ``count(1, ("rad", "rader"), ("row",
        "rows"))`` → ``"1 rad"`` (or ``"1 row"``)."""
        one, many = en if self.lang == "en" else sv
        return _text.count(n, one, many, lang=self.lang)

    def label(self, field: str, code: object) -> str:
        """What users read for the stored ``code`` of ``field`` (see
        :func:`trygg.layers.labels.label`)."""
        from trygg.layers.labels import label

        return label(field, code, lang=self.lang)

    @contextmanager
    def step(self, text: str):
        """Show a spinner on a terminal; quiet in pipes and CI."""
        if self.console.is_terminal:
            with self.console.status(text):
                yield
        else:
            yield

    @contextmanager
    def progress(self, text: str, steps: dict[str, str]):
        """A progress bar over named steps on a terminal; quiet in pipes and CI.

        Yields a function to call with each step's name as it starts.
        """
        if not self.console.is_terminal:
            yield lambda _name: None
            return
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=self.console, transient=True) as bar:
            task = bar.add_task(text, total=len(steps))
            seen: list[str] = []

            def advance(name: str) -> None:
                if seen:
                    bar.advance(task)
                seen.append(name)
                bar.update(task, description=f"{text}: {steps.get(name, name)}")

            yield advance


def shell(path: Path | str) -> str:
    """``path`` quoted for a POSIX shell, for commands the user copies (spaces, ``$( )``
    and quotes in it neither break nor run anything when pasted)."""
    import shlex

    return shlex.quote(str(path))


def print_ingest(ui: Ui, s, project: Path) -> None:
    """What an ingest did (:class:`trygg.layers.ingest.IngestSummary` ``s``): rows read,
    added, duplicates, rejects by reason, precisions, and that they add up."""
    out = ui.console.print
    if s.already_ingested:
        out(ui.m("already", file=s.file, ingest=s.already_ingested))
        return
    out(ui.m("read", rows=ui.count(s.rows_read, ("rad", "rader"), ("row", "rows")),
             file=s.file, source=ui.label("source", s.source), crs=s.crs or "-"))
    out(f"  {ui.m('added')}: {ui.number(s.reports_added)}")
    out(f"  {ui.m('duplicates')}: {ui.number(s.duplicates)}")
    reasons = ", ".join(f"{ui.label('reason', k)} {ui.number(v)}"
                        for k, v in s.rejected_by_reason.items())
    out(f"  {ui.m('rejected')}: {ui.number(s.rejected)}" + (f" ({reasons})" if reasons else ""))
    if s.by_precision:
        out(f"  {ui.m('precision')}: " + code_counts(ui, "precision", s.by_precision))
    if s.unmapped:  # the source's own category texts, as they were
        out(f"  {ui.m('unmapped')}: " + ", ".join(f"{k} {ui.number(v)}"
                                                  for k, v in s.unmapped.items()), markup=False)
    if s.ungeocoded:
        n = sum(s.ungeocoded.values())
        top = ", ".join(f"'{k}'" for k in list(s.ungeocoded)[:5])
        out(f"  {ui.m('ungeocoded')}: {ui.number(n)} ({top})", markup=False)
    if s.linked:
        out(f"  {ui.m('linked')}: {ui.number(s.linked)}")
    for sv, en in getattr(s, "notes", []):
        out(f"  {en if ui.lang == 'en' else sv}", markup=False)
    mark = "✓" if s.balanced else "✗"
    out(f"  {ui.m('balance')}: {ui.number(s.reports_added)} + {ui.number(s.duplicates)} + "
        f"{ui.number(s.rejected)} = {ui.number(s.reports_added + s.duplicates + s.rejected)} "
        f"{mark}")
    if s.rejected:
        out("  " + ui.m("see_rejects", project=shell(project)))


def code_counts(ui: Ui, field: str, counts: dict) -> str:
    """``{"exact": 6, "address": 585}`` → ``"Exakt läge 6, Adress 585"``: each code of
    ``field`` as its label, then its count."""
    return ", ".join(f"{ui.label(field, k)} {ui.number(v)}" for k, v in counts.items())


def print_run(ui: Ui, result) -> None:
    """Notes about chosen defaults, then the layers a hotspot run
    (:class:`trygg.layers.hotspots.runs.RunResult`) wrote."""
    from trygg.layers.labels import column_label

    for sv, en in result.notes:
        ui.console.print(en if ui.lang == "en" else sv, markup=False)
    ui.console.print(ui.m("run", run=result.run_id, n=ui.count(
        result.n_input, ("rapport", "rapporter"), ("report", "reports"))))
    for layer, info in result.summary.items():
        detail = "; ".join(f"{column_label(k, lang=ui.lang)}: {code_counts(ui, k, v)}"
                           for k, v in info.items() if isinstance(v, dict))
        rows = ui.count(info["rows"], ("rad", "rader"), ("row", "rows"))
        ui.console.print(f"  {layer} ({rows})" + (f" — {detail}" if detail else ""),
                         markup=False)
    for path in result.files:
        if result.files_in_project:
            ui.console.print("  " + ui.m("stored_raster", name=path.name), markup=False)
        else:
            ui.console.print("  " + ui.m("wrote", path=path))


def print_cameras(ui: Ui, run) -> None:
    """A camera run (:class:`trygg.layers.cameras.runs.CameraRun`): what was chosen, how
    well, and per site its coverage, hours and privacy cost."""
    import json

    from rich.table import Table

    plan = run.plan
    p = plan.params
    sites = plan.sites
    share = float(sites["share"].iloc[-1]) if len(sites) else 0.0
    ui.console.print(ui.m(
        "cameras_run", run=run.run_id,
        chosen=ui.count(len(sites), ("kameraplats", "kameraplatser"),
                        ("camera site", "camera sites")),
        candidates=ui.number(p["candidates"]),
        generated=ui.m("cameras_generated" if run.generated_candidates else "cameras_given"),
        share=_text.percent(share, 1, lang=ui.lang),
        incidents=ui.count(p["incidents"], ("rapport", "rapporter"), ("report", "reports"))),
        markup=False)
    if plan.exact is not None and p["target_coverage"] is None and plan.greedy.gap is not None:
        proven = "" if plan.exact.optimal else ui.pick(", inte bevisat optimalt",
                                                       ", not proven optimal")
        ui.console.print(ui.m("cameras_exact", gap=_text.percent(plan.greedy.gap, 1,
                                                                  lang=ui.lang),
                              proven=proven), markup=False)
    for note in plan.notes:
        key = {"exact_better_than_greedy": "cameras_exact_better",
               "exact_skipped_too_large": "cameras_exact_skipped",
               "target_not_reached": "cameras_target_missed"}.get(note)
        if key:
            ui.console.print(ui.m(key), markup=False)
    if sites.empty:
        ui.console.print(ui.m("cameras_none"), markup=False)
        return
    table = Table(title=ui.m("cameras_table"))
    for col, right in ((("Rang", "Rank"), True), (("Plats", "Site"), False),
                       (("Ser", "Sees"), True), (("Täckning", "Coverage"), True),
                       (("Mörker", "Dark"), True), (("Timmar", "Hours"), False),
                       (("Integritet", "Privacy"), True)):
        table.add_column(ui.pick(*col), justify="right" if right else "left", overflow="fold")
    for row in sites.itertuples(index=False):
        privacy = json.loads(row.privacy or "{}")
        table.add_row(str(row.rank), str(row.site_id), ui.number(row.n),
                      _text.percent(row.share, 1, lang=ui.lang),
                      _text.percent(row.share_dark, 0, lang=ui.lang),
                      row.hours_window.replace("-", "–") if row.hours_window else "–",
                      ", ".join(f"{k} {ui.number(v)}" for k, v in privacy.items()) or "–")
    ui.console.print(table)
    ui.console.print("  " + ", ".join(run.layers), markup=False)


def print_register(ui: Ui, register, due) -> None:
    """The camera register (:func:`trygg.layers.cameras.register.read_register`) as a
    table, and the cameras whose documentation may now be deleted (``due``)."""
    from rich.table import Table

    if register.empty:
        ui.console.print(ui.m("register_empty"), markup=False)
        return
    table = Table(title=ui.m("register_table"))
    for col in (("Id", "Id"), ("Status", "Status"), ("Syfte", "Purpose"), ("Plats", "Place"),
                ("Installerad", "Installed"), ("Borttagen", "Removed"),
                ("Sparas till", "Kept until")):
        table.add_column(ui.pick(*col), overflow="fold")
    for row in register.itertuples(index=False):
        table.add_row(str(row.camera_id), ui.label("camera_status", row.camera_status),
                      str(row.purpose or ""), str(row.place_text or row.site_id or ""),
                      str(row.installed_at or "–"), str(row.removed_at or "–"),
                      str(row.keep_until or "–"))
    ui.console.print(table)
    if len(due):
        ui.console.print(ui.m("register_due", cameras=", ".join(due["camera_id"].astype(str))),
                         markup=False)


def print_evaluation(ui: Ui, camera_id: str, ev) -> None:
    """One line per evaluated camera (:class:`trygg.layers.cameras.evaluate.Evaluation`)."""
    t = ev.totals

    def fmt(value: float) -> str:
        return _text.number(value, 2, lang=ui.lang)

    ui.console.print(ui.m(
        "evaluation", camera=camera_id, tb=ui.number(t["treated"]["before"]),
        ta=ui.number(t["treated"]["after"]), db=ui.number(t["buffer"]["before"]),
        da=ui.number(t["buffer"]["after"]), cb=ui.number(t["control"]["before"]),
        ca=ui.number(t["control"]["after"]), res=fmt(ev.res), wdq=fmt(ev.wdq)), markup=False)
    if "few_incidents" in ev.notes or ev.res_low <= 1 <= ev.res_high:
        ui.console.print(ui.m("evaluation_weak"), markup=False)

def print_walk(ui: Ui, plan) -> None:
    """A planned walk (:class:`trygg.layers.walks.plan.WalkPlan`): area, stops, length,
    time, sunset and dusk on its day, and the stops in route order."""
    import json

    from rich.table import Table

    ui.console.print(ui.m(
        "walk_summary", walk=plan.walk_id, area=plan.area_name,
        stops=ui.count(len(plan.stops), ("stopp", "stopp"), ("stop", "stops")),
        km=ui.number(plan.length_m / 1000, 1), minutes=ui.number(plan.minutes)),
        markup=False)
    if plan.date is not None:
        day = _text.date(plan.date)
        if plan.dusk is None:
            ui.console.print(ui.m("walk_no_dark", date=day), markup=False)
        else:
            sunset = "–" if plan.sunset is None else plan.sunset.strftime("%H:%M")
            ui.console.print(ui.m("walk_sun", date=day, sunset=sunset,
                                  dusk=plan.dusk.strftime("%H:%M")), markup=False)
    for note in plan.notes:
        ui.console.print(ui.pick(*note) if isinstance(note, tuple) else str(note),
                         markup=False)
    table = Table(title=ui.m("walk_table"))
    for col, right in ((("Nr", "No."), True), (("Plats", "Place"), False),
                       (("Varför", "Why"), False), (("Rapporter", "Reports"), True),
                       (("Mest", "Most"), False), (("Sträcka", "Leg"), True)):
        table.add_column(ui.pick(*col), justify="right" if right else "left", overflow="fold")
    for row in plan.stops.itertuples(index=False):
        counts = json.loads(row.by_category or "{}")
        top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]
        table.add_row(str(row.stop), str(row.place_name), ui.label("stop_origin", row.origin),
                      ui.number(row.n_reports),
                      ", ".join(f"{ui.label('category', c)} {ui.number(n)}" for c, n in top)
                      or "–", f"{ui.number(row.leg_m)} m")
    ui.console.print(table)


def print_walk_import(ui: Ui, result, project: Path) -> None:
    """What an import of a walk protocol did (:class:`trygg.layers.walks.findings.WalkImport`)."""
    ui.console.print(ui.m(
        "walk_imported", file=result.file, rows=ui.number(result.rows_read),
        added=ui.number(result.reports_added), updated=ui.number(result.reports_updated),
        unchanged=ui.number(result.unchanged), actions_added=ui.number(result.actions_added),
        actions_updated=ui.number(result.actions_updated),
        skipped=ui.number(result.skipped_empty), rejected=ui.number(result.rejected)),
        markup=False)
    if result.rejected:
        ui.console.print(ui.m("walk_rejects", project=shell(project),
                              reasons=code_counts(ui, "reason", result.rejected_by_reason)),
                         markup=False)
    for note in result.notes:
        ui.console.print(ui.pick(*note) if isinstance(note, tuple) else str(note),
                         markup=False)


def print_actions(ui: Ui, actions, per_responsible, overdue, project: Path,
                  rule=None) -> None:
    """The action register: counts per responsible party, then the overdue actions,
    and the klotter rule (``rule``, :class:`trygg.layers.indicators.Indicator`) where
    reports have close times."""
    from rich.table import Table

    if rule is not None and rule.n:
        ui.console.print(ui.m("klotter_rule", name=ui.pick(*rule.name),
                              share=_text.percent(rule.share, lang=ui.lang),
                              within=ui.number(rule.within),
                              n=ui.number(rule.n)), markup=False)
    if actions.empty:
        ui.console.print(ui.m("actions_empty", project=shell(project)), markup=False)
        return
    table = Table(title=ui.m("actions_table"))
    names = [c for c in per_responsible.columns if c != "responsible"]
    table.add_column(ui.pick("Ansvarig", "Responsible"), overflow="fold")
    for name in names:
        table.add_column(ui.label("action_count", name), justify="right")
    for row in per_responsible.itertuples(index=False):
        values = row._asdict()
        table.add_row(ui.label("responsible", values["responsible"]),
                      *(ui.number(values[n]) for n in names))
    ui.console.print(table)
    if len(overdue):
        late = Table(title=ui.m("actions_overdue"))
        for col in (("Id", "Id"), ("Plats", "Place"), ("Åtgärd", "Action"),
                    ("Ansvarig", "Responsible"), ("Senast klart", "Deadline"),
                    ("Status", "Status")):
            late.add_column(ui.pick(*col), overflow="fold")
        for row in overdue.itertuples(index=False):
            late.add_row(str(row.action_id), str(row.place_text or ""), str(row.action or ""),
                         ui.label("responsible", row.responsible), str(row.deadline or ""),
                         ui.label("action_status", row.action_status))
        ui.console.print(late)



def print_info(ui: Ui, s, ingests=None) -> None:
    """What a project holds (:class:`trygg.layers.summary.ProjectSummary` ``s``): reports
    per source and category, rejects, and the ingests (``ingests``, default
    ``s.ingests``) with their ids."""
    from rich.table import Table
    from rich.text import Text

    from trygg.layers import schema

    out = ui.console.print
    out(Text.assemble((s.name, "bold"), f"  ({s.crs})" + (
        "  — " + ui.m("synthetic") if s.synthetic else "")))
    if s.period:
        out(ui.m("period", first=_text.date(s.period[0]), last=_text.date(s.period[1])))
    table = Table(title=ui.m("info_table"))
    table.add_column(ui.m("category"))
    sources = list(s.by_source_category.index)
    for src in sources:
        table.add_column(ui.label("source", src), justify="right")
    table.add_column(ui.m("balance"), justify="right")
    by = s.by_source_category
    for cat in [c for c in schema.CATEGORIES if c in by.columns]:
        values = [int(by.loc[src, cat]) for src in sources]
        table.add_row(ui.label("category", cat), *map(ui.number, values),
                      ui.number(sum(values)))
    totals = [int(by.loc[src].sum()) for src in sources]
    table.add_row(ui.m("balance"), *map(ui.number, totals),
                  ui.number(sum(totals)), end_section=True)
    out(table)
    out(f"{ui.m('located')}: {ui.number(s.located)}")
    if s.rejects_by_reason:
        out(f"{ui.m('rejected')}: " + code_counts(ui, "reason", s.rejects_by_reason))
    ing = Table(title=ui.m("ingests_table"))
    rows = s.ingests if ingests is None else ingests
    ids = [str(i) for i in rows.get("ingest_id", [])]
    # Ids are what the user copies: never shortened; the file name gives way instead.
    ing.add_column("Id", no_wrap=True, min_width=max(map(len, ids), default=2))
    for col in (("Fil", "File"), ("Källa", "Source"), ("Tid", "Time"), ("Lästa", "Read"),
                ("Tillagda", "Added"), ("Dubbletter", "Duplicates"), ("Avvisade", "Rejected")):
        ing.add_column(ui.pick(*col), justify="left" if col[0] in ("Fil", "Källa", "Tid")
                       else "right", overflow="fold")
    for row in rows.itertuples(index=False):
        ing.add_row(str(getattr(row, "ingest_id", "-")), Path(str(row.file)).name,
                    ui.label("source", row.source), _text.datetime(row.ingested_at),
                    ui.number(row.rows_read), ui.number(row.reports_added),
                    ui.number(row.duplicates), ui.number(row.rejected))
    out(ing)
    mark = "✓" if s.balanced else "✗"
    out(f"{ui.m('balance')}: {ui.number(s.rows_read)} {ui.pick('lästa', 'read')} = "
        f"{ui.count(s.reports, ('rapport', 'rapporter'), ('report', 'reports'))} + "
        f"{ui.count(s.duplicates, ('dubblett', 'dubbletter'), ('duplicate', 'duplicates'))}"
        f" + {ui.count(s.rejected, ('avvisad', 'avvisade'), ('rejected', 'rejected'))} "
        f"{mark}")


def print_runs(ui: Ui, runs) -> None:
    """The hotspot runs of a project: id (as the user types it), method, time, layers
    and files."""
    from rich.table import Table

    if not runs:
        ui.console.print(ui.m("no_runs"))
        return
    table = Table(title=ui.m("runs_table"))
    table.add_column("Id", no_wrap=True, min_width=max(len(r.run_id) for r in runs))
    for col in (("Metod", "Method"), ("Tid", "Time"), ("Lager", "Layers")):
        table.add_column(ui.pick(*col), overflow="fold")
    for run in runs:
        table.add_row(run.run_id, ui.label("method", run.kind) if run.kind else "-",
                      _text.datetime(run.created_at) if run.created_at is not None else "-",
                      ", ".join([*run.layers, *(p.name for p in run.files)]) or "-")
    ui.console.print(table)


def print_demo(ui: Ui, paths: dict[str, Path], summaries, runs) -> None:
    """What :func:`trygg.demo_run.build_demo` did: each ingest, each hotspot run, then
    every path it wrote."""
    for summary in summaries:
        print_ingest(ui, summary, paths["project"])
    for result in runs:
        print_run(ui, result)
    for path in paths.values():
        ui.console.print(ui.m("wrote", path=path))
