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

__all__ = ["MESSAGES", "Ui", "print_demo", "print_info", "print_ingest", "print_run",
           "print_runs", "shell"]

#: Messages of the command: key → (Swedish, English); ``{name}`` fields are filled in.
MESSAGES = {
    "error": ("Fel", "Error"),
    "created": ("Skapade projektet {path} ({name}, {crs}).",
                "Created the project {path} ({name}, {crs})."),
    "read": ("Läste {rows} rader från {file} (källa {source}, koordinater {crs}).",
             "Read {rows} rows from {file} (source {source}, coordinates {crs})."),
    "already": ("{file} är redan inläst (inläsning {ingest}); inget lades till.",
                "{file} was ingested before (ingest {ingest}); nothing was added."),
    "added": ("Tillagda rapporter", "Reports added"),
    "duplicates": ("Dubbletter (fanns redan)", "Duplicates (already stored)"),
    "rejected": ("Avvisade rader", "Rejected rows"),
    "precision": ("Lägesprecision", "Location precision"),
    "unmapped": ("Kategorier som blev 'Övrigt'", "Categories that became 'Other'"),
    "balance": ("Summa", "Total"),
    "see_rejects": ("Se avvisade rader med: trygg export {project} --layer rejects --out "
                    "avvisade.xlsx",
                    "See rejected rows with: trygg export {project} --layer rejects --out "
                    "rejects.xlsx"),
    "wrote": ("Skrev {path}", "Wrote {path}"),
    "run": ("Körningen {run}: {n} rapporter.", "Run {run}: {n} reports."),
    "run_removed": ("Tog bort körningen {run} ({layers}).", "Removed the run {run} ({layers})."),
    "undone": ("Ångrade inläsningen {ingest} ({file}): {reports} rapporter, {rejects} avvisade "
               "rader och {links} länkar borttagna.",
               "Undid the ingest {ingest} ({file}): removed {reports} reports, {rejects} "
               "rejected rows and {links} links."),
    "undone_runs": ("Körningar gjorda efter inläsningen räknade med dess rapporter och togs "
                    "bort: {runs}. Gör dem igen med trygg hotspots.",
                    "Runs made after the ingest counted its reports and were removed: {runs}. "
                    "Make them again with trygg hotspots."),
    "no_runs": ("Inga körningar ännu (gör en med trygg hotspots).",
                "No runs yet (make one with trygg hotspots)."),
    "gazetteer": ("Ortsregistret innehåller nu: {counts}.", "The gazetteer now holds: {counts}."),
    "overrides": ("Projektet har {n} manuella lägen.", "The project has {n} manual locations."),
    "geocoded": ("Lägesprecision före: {before}; efter: {after}.",
                 "Location precision before: {before}; after: {after}."),
    "no_reports": ("inga rapporter", "no reports"),
    "missing": ("Fortfarande utan läge", "Still without a location"),
    "linked": ("Länkade till rapporter från andra källor", "Linked to reports from other sources"),
    "ungeocoded": ("Utan läge (kör trygg geocode när ortsregistret vuxit)",
                   "Without a location (run trygg geocode when the gazetteer has grown)"),
    "bad_map": ("--map ska skrivas FÄLT=KOLUMN, inte '{value}'.",
                "--map must be written FIELD=COLUMN, not '{value}'."),
    "bad_lang": ("--lang ska vara sv eller en, inte '{value}'.",
                 "--lang must be sv or en, not '{value}'."),
}


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

    def number(self, n: int) -> str:
        """``n`` with thousands separated: a no-break space in Swedish, a comma in English."""
        text = f"{n:,}"
        return text if self.lang == "en" else text.replace(",", "\u00a0")

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
    from trygg.layers.sources.common import REJECT_REASONS

    out = ui.console.print
    if s.already_ingested:
        out(ui.m("already", file=s.file, ingest=s.already_ingested))
        return
    out(ui.m("read", rows=ui.number(s.rows_read), file=s.file, source=s.source,
             crs=s.crs or "-"))
    out(f"  {ui.m('added')}: {ui.number(s.reports_added)}")
    out(f"  {ui.m('duplicates')}: {ui.number(s.duplicates)}")
    reasons = ", ".join(f"{REJECT_REASONS.get(k, (k, k))[ui.lang == 'en']} {ui.number(v)}"
                        for k, v in s.rejected_by_reason.items())
    out(f"  {ui.m('rejected')}: {ui.number(s.rejected)}" + (f" ({reasons})" if reasons else ""))
    if s.by_precision:
        out(f"  {ui.m('precision')}: " + ", ".join(f"{k} {ui.number(v)}"
                                                   for k, v in s.by_precision.items()))
    if s.unmapped:
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


def print_run(ui: Ui, result) -> None:
    """Notes about chosen defaults, then the layers a hotspot run
    (:class:`trygg.layers.hotspots.runs.RunResult`) wrote."""
    for sv, en in result.notes:
        ui.console.print(en if ui.lang == "en" else sv, markup=False)
    ui.console.print(ui.m("run", run=result.run_id, n=ui.number(result.n_input)))
    for layer, info in result.summary.items():
        detail = "; ".join(f"{k}: " + ", ".join(f"{a} {ui.number(b)}" for a, b in v.items())
                           for k, v in info.items() if isinstance(v, dict))
        ui.console.print(f"  {layer} ({ui.number(info['rows'])})" +
                         (f" — {detail}" if detail else ""), markup=False)
    for path in result.files:
        ui.console.print("  " + ui.m("wrote", path=path))


def print_info(ui: Ui, s, ingests=None) -> None:
    """What a project holds (:class:`trygg.layers.summary.ProjectSummary` ``s``): reports
    per source and category, rejects, and the ingests (``ingests``, default
    ``s.ingests``) with their ids."""
    from rich.table import Table
    from rich.text import Text

    from trygg.layers import schema
    from trygg.layers.sources.common import REJECT_REASONS

    en = ui.lang == "en"
    out = ui.console.print
    out(Text.assemble((s.name, "bold"), f"  ({s.crs})" + (
        "  — syntetiska data" if s.synthetic and not en
        else "  — synthetic data" if s.synthetic else "")))
    if s.period:
        label = "Period" if not en else "Period"
        out(f"{label}: {s.period[0]:%Y-%m-%d} – {s.period[1]:%Y-%m-%d}")
    table = Table(title="Rapporter per källa och kategori" if not en else
                  "Reports per source and category")
    table.add_column("Kategori" if not en else "Category")
    sources = list(s.by_source_category.index)
    for src in sources:
        table.add_column(schema.source_label(src, ui.lang), justify="right")
    table.add_column("Summa" if not en else "Total", justify="right")
    by = s.by_source_category
    for cat in [c for c in schema.CATEGORIES if c in by.columns]:
        values = [int(by.loc[src, cat]) for src in sources]
        table.add_row(schema.category_label(cat, ui.lang), *map(ui.number, values),
                      ui.number(sum(values)))
    totals = [int(by.loc[src].sum()) for src in sources]
    table.add_row("Summa" if not en else "Total", *map(ui.number, totals),
                  ui.number(sum(totals)), end_section=True)
    out(table)
    out(("Med läge på kartan" if not en else "With a location") + f": {ui.number(s.located)}")
    if s.rejects_by_reason:
        out(("Avvisade rader" if not en else "Rejected rows") + ": " + ", ".join(
            f"{REJECT_REASONS.get(k, (k, k))[en]} {ui.number(v)}"
            for k, v in s.rejects_by_reason.items()))
    ing = Table(title="Inlästa filer (ångra en med trygg ingest PROJEKT --undo ID)" if not en
                else "Ingested files (undo one with trygg ingest PROJECT --undo ID)")
    rows = s.ingests if ingests is None else ingests
    ids = [str(i) for i in rows.get("ingest_id", [])]
    # Ids are what the user copies: never shortened; the file name gives way instead.
    ing.add_column("Id", no_wrap=True, min_width=max(map(len, ids), default=2))
    for col in (("Fil", "File"), ("Källa", "Source"), ("Tid", "Time"), ("Lästa", "Read"),
                ("Tillagda", "Added"), ("Dubbletter", "Duplicates"), ("Avvisade", "Rejected")):
        ing.add_column(col[en], justify="left" if col[0] in ("Fil", "Källa", "Tid")
                       else "right", overflow="fold")
    for row in rows.itertuples(index=False):
        ing.add_row(str(getattr(row, "ingest_id", "-")), Path(str(row.file)).name,
                    str(row.source), f"{row.ingested_at:%Y-%m-%d %H:%M}",
                    ui.number(row.rows_read), ui.number(row.reports_added),
                    ui.number(row.duplicates), ui.number(row.rejected))
    out(ing)
    mark = "✓" if s.balanced else "✗"
    out(f"{'Summa' if not en else 'Total'}: {ui.number(s.rows_read)} "
        f"{'lästa' if not en else 'read'} = {ui.number(s.reports)} "
        f"{'rapporter' if not en else 'reports'} + {ui.number(s.duplicates)} "
        f"{'dubbletter' if not en else 'duplicates'} + {ui.number(s.rejected)} "
        f"{'avvisade' if not en else 'rejected'} {mark}")


def print_runs(ui: Ui, runs) -> None:
    """The hotspot runs of a project: id, kind, time, layers and files."""
    from rich.table import Table

    en = ui.lang == "en"
    if not runs:
        ui.console.print(ui.m("no_runs"))
        return
    table = Table(title="Körningar (ta bort med trygg runs PROJEKT remove ID)" if not en
                  else "Runs (remove with trygg runs PROJECT remove ID)")
    table.add_column("Id", no_wrap=True, min_width=max(len(r.run_id) for r in runs))
    for col in (("Metod", "Method"), ("Tid", "Time"), ("Lager", "Layers")):
        table.add_column(col[en], overflow="fold")
    for run in runs:
        when = f"{run.created_at:%Y-%m-%d %H:%M}" if run.created_at is not None else "-"
        table.add_row(run.run_id, run.kind or "-", when,
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
