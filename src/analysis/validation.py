"""The report `analysis validate` prints: one line per problem, or one summary line per table."""

from __future__ import annotations

from pathlib import Path

from analysis import data, refresh, schema, settings
from analysis.files import relative


def summary(name: str, df) -> str:
    dates = df.select_dtypes("datetime")
    if dates.empty or dates.columns.empty:
        return f"{name}: {len(df)} rows: ok"
    first = dates.iloc[:, 0]
    return f"{name}: {len(df)} rows, {first.min():%Y-%m-%d} to {first.max():%Y-%m-%d}: ok"


def main(curated_dir: Path | None = None) -> int:
    frames, problems = data.check(curated_dir)
    if refresh.TABLE in frames:
        curated_dir = curated_dir or settings.CURATED_DIR
        table = curated_dir / schema.tables(curated_dir / "datapackage.json")[refresh.TABLE].path
        for report, _ in refresh.unfinished(settings.CHANGES_DIR, table):
            problems.append(
                f"{relative(report)}: records a refresh whose table was never written; "
                "run `analysis refresh cns` with that release again to finish it"
            )
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} problem(s) found")
        return 1
    for name, df in frames.items():
        print(summary(name, df))
    return 0
