"""Tables of the data-overview report (notebooks/00_data_overview.ipynb); its charts are in analysis.figures."""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from analysis import metrics, schema


def coverage(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of every curated table, and the span of its first date column."""
    rows = []
    for name, df in tables.items():
        dates = df.select_dtypes("datetime")
        column = dates.columns[0] if len(dates.columns) else None
        first, last = (f"{df[column].min():%Y-%m-%d}", f"{df[column].max():%Y-%m-%d}") if column else ("", "")
        rows.append({"table": name, "rows": len(df), "dated by": column or "(no dates)", "first": first, "last": last})
    return pd.DataFrame(rows).set_index("table").rename_axis(None)


def key_figures(missile_tests: pd.DataFrame, missiles: pd.DataFrame, start_date: str, end_date: str | None) -> pd.DataFrame:
    """What the counts rest on: `missiles` is the selection (metrics.select_missiles) of `missile_tests`."""
    figures = {
        "dates counted (KST)": f"{start_date} to {end_date or 'the latest record'}",
        "missiles counted (CNS criterion)": f"{len(missiles)}",
        "launch days counted (KST)": f"{missiles['date_kst'].nunique()}",
    }
    if len(missiles):
        per_year = metrics.per_period(missiles)
        latest = missiles.loc[missiles["date_kst"].idxmax()]
        figures |= {
            "years covered": f"{missiles['date_kst'].min():%Y}–{missiles['date_kst'].max():%Y}",
            "busiest year": f"{per_year['missiles'].idxmax():%Y} ({per_year['missiles'].max()} missiles)",
            "latest launch counted": f"{latest['date_kst']:%Y-%m-%d} ({latest['missile_class']})",
        }
    figures["rows below the CNS criterion (not counted)"] = f"{int((~missile_tests['cns_threshold'].fillna(False)).sum())}"
    return pd.DataFrame({"value": figures})


def published_tables() -> Markdown:
    """Links to the curated tables that `analysis render` publishes next to the reports, in reports/data/."""
    package = schema.package()
    links = ", ".join(f"[{r['path']}](data/{r['path']})" for r in package["resources"])
    return Markdown(f"**The curated tables** are published next to this report, in `data/`: {links}; "
                    "their schema, licence and sources are in [datapackage.json](data/datapackage.json).")
