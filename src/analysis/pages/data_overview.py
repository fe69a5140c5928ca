"""Tables of the data-overview report (notebooks/00_data_overview.ipynb); its charts are in analysis.pages.figures."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
from IPython.display import Markdown

from analysis.data import schema
from analysis.measures import metrics
from analysis.pages.escape import md_escape
from analysis.pages.tables import integer, plural


def coverage(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows of every curated table, and the span of its first date column (NaT when it has none)."""
    rows = []
    for name, df in tables.items():
        dates = df.select_dtypes("datetime")
        column = dates.columns[0] if len(dates.columns) else None
        first, last = (df[column].min(), df[column].max()) if column else (pd.NaT, pd.NaT)
        rows.append({"table": name, "rows": len(df), "dated by": column or "(no dates)", "first": first, "last": last})
    return pd.DataFrame(rows)


def launch_list(missiles: pd.DataFrame) -> pd.DataFrame:
    """Every missile of a selection, as a reader looks one up: date, name, class, site, flight, outcome."""
    columns = [
        "date_kst",
        "missile_name",
        "missile_class",
        "facility",
        "apogee_km",
        "distance_km",
        "outcome",
        "confirmed",
    ]
    return missiles.sort_values(["date_kst", "missile_id"], kind="stable")[columns].reset_index(drop=True)


def key_figures(
    missile_tests: pd.DataFrame, missiles: pd.DataFrame, start_date: str, end_date: str | None
) -> pd.DataFrame:
    """What the counts rest on: `missiles` is the selection (metrics.select_missiles) of `missile_tests`."""
    figures = {
        "Dates counted (KST)": f"{start_date} to {end_date or 'the latest record'}",
        "Missiles counted (CNS criterion)": integer(len(missiles)),
        "Launch days counted (KST)": integer(metrics.launch_days(missiles)),
    }
    if len(missiles):
        per_year = metrics.per_period(missiles)
        latest = missiles.loc[missiles["date_kst"].idxmax()]
        figures |= {
            "Years covered": f"{missiles['date_kst'].min():%Y}–{missiles['date_kst'].max():%Y}",
            "Busiest year": f"{per_year['missiles'].idxmax():%Y} ({plural(per_year['missiles'].max(), 'missile')})",
            "Latest launch counted": f"{latest['date_kst']:%Y-%m-%d} ({latest['missile_class']})",
        }
    figures["Rows below the CNS criterion (not counted)"] = integer(
        (~missile_tests["cns_threshold"].fillna(False)).sum()
    )
    return pd.DataFrame({"figure": list(figures), "value": list(figures.values())})


def published_tables() -> Markdown:
    """Links to the curated tables that `analysis render` publishes next to the reports, in reports/data/."""
    package = schema.package()
    links = ", ".join(f"[{md_escape(r['path'])}](data/{quote(r['path'])})" for r in package["resources"])
    return Markdown(
        f"**The curated tables** are published next to this report, in `data/`: {links}; "
        "their schema, licence and sources are in [datapackage.json](data/datapackage.json)."
    )
