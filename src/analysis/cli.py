"""The `analysis` command: thin wrappers that hand over to the module doing the work.

Exit codes: 0 done; 1 a finding or refusal about the data (unexplained disagreements, validation problems, a
release or table refused); 2 bad input or an environment problem (an unreadable or malformed reference or
--reason, a file system error, another refresh running).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from analysis import settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


def _table_summary(name: str, df) -> str:
    dates = df.select_dtypes("datetime")
    if dates.columns.empty:
        return f"{name}: {len(df)} rows: ok"
    first = dates.iloc[:, 0]
    return f"{name}: {len(df)} rows, {first.min():%Y-%m-%d} to {first.max():%Y-%m-%d}: ok"


@app.command()
def validate(
    curated_dir: Annotated[Path | None, typer.Option(help="Folder holding datapackage.json.")] = None,
) -> None:
    """Check every curated table (schema, vocabularies, keys, sources); one line per problem."""
    from analysis.checks import claims
    from analysis.data import load as data
    from analysis.data import refresh

    frames, problems = data.check(curated_dir)
    if refresh.TABLE in frames:
        problems += refresh.unfinished_problems(curated_dir or settings.CURATED_DIR)
    if not problems:
        problems += claims.problems(frames)
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found")
        raise typer.Exit(1)
    for name, df in frames.items():
        print(_table_summary(name, df))


@app.command()
def render(
    names: Annotated[list[str] | None, typer.Argument(help="Reports to render (default: all).")] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", help="Parallel processes (default: one per core).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-run reports whose inputs did not change.")] = False,
    keep_code: Annotated[bool, typer.Option("--keep-code", help="Show input code in the HTML.")] = False,
    cell_timeout: Annotated[
        int, typer.Option("--cell-timeout", help="Seconds a cell may run before its report fails.")
    ] = settings.CELL_TIMEOUT_SECONDS,
    warm: Annotated[
        bool,
        typer.Option(
            "--warm/--cold",
            help="Fork kernels from a process that imported the "
            "libraries once (--cold: start each kernel from scratch).",
        ),
    ] = True,
) -> None:
    """Execute the registered notebooks with papermill and export them to offline HTML."""
    from analysis.build import render as rendering

    raise typer.Exit(
        rendering.main(names or [], jobs=jobs, force=force, keep_code=keep_code, cell_timeout=cell_timeout, warm=warm)
    )


@app.command()
def figures(
    names: Annotated[list[str] | None, typer.Argument(help="Rendered pages (default: all in reports/).")] = None,
) -> None:
    """Export every chart of the rendered pages as print-size PNG and SVG into reports/figures/ (offline; needs
    chromium). Exit 2: a page not rendered, or no browser."""
    from analysis.build import figures as exporting

    raise typer.Exit(exporting.main(names or []))


refresh_app = typer.Typer(no_args_is_help=True, help="Bring a curated table up to date from a new upstream release.")
app.add_typer(refresh_app, name="refresh")


@refresh_app.command("cns")
def refresh_cns(
    path: Annotated[Path, typer.Argument(help="The CNS workbook (.xlsx) or its 'Missile Tests' sheet saved as .csv.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report the changes; write nothing.")] = False,
) -> None:
    """Merge a new CNS North Korea Missile Test Database release into missile_tests.csv and report what changed.

    Exit 1: the release or the table is refused (a release that cannot be read, is malformed or holds a
    spreadsheet formula; validation problems; unexplained disagreements); nothing written. Exit 2: an
    environment problem (a file system error, another refresh running, the table changed meanwhile, the
    verdict log not writable after the table was written)."""
    from analysis.data import refresh

    raise typer.Exit(_record_verdicts(refresh.refresh(path, dry_run=dry_run), "CNS", path, dry_run))


@refresh_app.command("csis")
def refresh_csis(
    path: Annotated[Path, typer.Argument(help="The CSIS Beyond Parallel provocations export (.csv).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report the changes; write nothing.")] = False,
) -> None:
    """Add the CSIS record's missile launches that missile_tests.csv lacks, and report exclusions and date disagreements.

    Exit codes as for `refresh cns`: 1 the export or the table is refused; 2 an environment problem."""
    from analysis.data import csis_refresh

    raise typer.Exit(_record_verdicts(csis_refresh.refresh(path, dry_run=dry_run), "CSIS", path, dry_run))


def _record_verdicts(code: int, source: str, path: Path, dry_run: bool) -> int:
    """A refresh that changed the table also records the verdicts it moved in data/changes/verdicts.csv (here, not
    in the data layer, which never imports the checks)."""
    if code or dry_run:
        return code
    from analysis.checks import verdicts
    from analysis.data.textsafety import one_line

    return verdicts.main_record(f"{source} refresh from {one_line(path.name)}", after="the table was refreshed")


@app.command()
def audit(
    cns: Annotated[
        list[Path] | None,
        typer.Option("--cns", help="A CNS release: workbook, sheet as .csv, or the visualisation copy test.en.json."),
    ] = None,
    csis: Annotated[
        list[Path] | None, typer.Option("--csis", help="The CSIS Beyond Parallel provocations export (.csv).")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="List only the unexplained disagreements.")] = False,
) -> None:
    """Cross-check every missile row against reference releases (default: ../shared/reference).

    Exit 1: an unexplained disagreement. Exit 2: bad input (a reference or the corrections log that cannot be
    read or is malformed) or an environment problem."""
    from analysis.data import audit as auditing

    raise typer.Exit(auditing.main(cns or [], csis or [], quiet=quiet))


verdicts_app = typer.Typer(no_args_is_help=True, help="The log of verdict changes (data/changes/verdicts.csv).")
app.add_typer(verdicts_app, name="verdicts")


@verdicts_app.command("record")
def verdicts_record(
    reason: Annotated[str, typer.Option("--reason", help="What changed in the data (logged with each row).")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the changes; write nothing.")] = False,
    claim: Annotated[
        list[str] | None,
        typer.Option("--claim", help="Record only this claim's changes (repeatable): one reason each."),
    ] = None,
) -> None:
    """Append a row for every claim whose verdict or key figures changed since the log's latest row.

    Exit 1: the log or the data cannot be read as data. Exit 2: a bad --reason (empty, control characters) or
    a file that cannot be read or written."""
    from analysis.checks import verdicts

    raise typer.Exit(verdicts.main_record(reason, dry_run=dry_run, claims=claim))


@verdicts_app.command("check")
def verdicts_check() -> None:
    """Exit 1 with a one-line message while the log is behind the data."""
    from analysis.checks import verdicts

    raise typer.Exit(verdicts.main_check())


@app.command()
def release(
    part: Annotated[
        str | None, typer.Argument(help="The part of the data version to bump: major, minor or patch.")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="What this release is (heads the changelog entry).")] = "",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the changelog entry; write nothing.")] = False,
    initial: Annotated[
        bool, typer.Option("--initial", help="Record the current version as the first release (no bump).")
    ] = False,
) -> None:
    """Publish a data release: bump datapackage.json's version, update CITATION.cff and prepend a CHANGELOG.md entry.

    Exit 1: refused (the curated data unchanged since the last release, or no release recorded yet). Exit 2: a
    bad part or --note, or a file that cannot be read or written."""
    from analysis.build import release as releasing

    raise typer.Exit(releasing.main(part, note, dry_run=dry_run, initial=initial))
