"""The `analysis` command: thin wrappers that hand over to the module doing the work."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)


@app.command()
def validate(
    curated_dir: Annotated[Optional[Path], typer.Option(help="Folder holding datapackage.json.")] = None,
) -> None:
    """Check every curated table (schema, vocabularies, keys, sources); one line per problem."""
    from analysis import validation

    raise typer.Exit(validation.main(curated_dir))


@app.command()
def render(
    names: Annotated[Optional[list[str]], typer.Argument(help="Reports to render (default: all).")] = None,
    jobs: Annotated[Optional[int], typer.Option("--jobs", "-j", help="Parallel processes (default: one per core).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Re-run reports whose inputs did not change.")] = False,
    keep_code: Annotated[bool, typer.Option("--keep-code", help="Show input code in the HTML.")] = False,
) -> None:
    """Execute the registered notebooks with papermill and export them to offline HTML."""
    from analysis import render as rendering

    raise typer.Exit(rendering.main(names or [], jobs=jobs, force=force, keep_code=keep_code))
