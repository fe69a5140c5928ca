"""The data-overview report (notebooks/00_data_overview.ipynb): its headline and tables; its charts are in
analysis.pages.charts."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd
from IPython.display import Markdown

from analysis import fmt
from analysis.data import schema
from analysis.measures import counts
from analysis.pages.escape import md_escape
from analysis.pages.report import Headline


def headline(tables: dict[str, pd.DataFrame], missiles: pd.DataFrame) -> Headline:
    """What the tables hold, and the counted (CNS-criterion) missiles of the selection."""
    events, sanctions, sources = tables["diplomatic_events"], tables["sanctions"], tables["sources"]
    nuclear = tables["nuclear_tests"]
    sentence = (
        f"The curated tables record {fmt.plural(len(tables['missile_tests']), 'missile')}, "
        f"{fmt.plural(len(nuclear), 'nuclear test')}, {fmt.plural(len(events), 'diplomatic event')} and "
        f"{fmt.plural(len(sanctions), 'Security Council action')}, each citing its sources."
    )
    figures = []
    if not missiles.empty:
        years = counts.year_table(missiles)
        top = int(years["missiles"].idxmax())
        first, last = missiles["date_kst"].min().year, missiles["date_kst"].max().year
        sentence += (
            f" Within the CNS criterion, North Korea launched {fmt.plural(len(missiles), 'missile')} from "
            f"{fmt.year_span(first, last)}; the most in one year was {fmt.integer(years.at[top, 'missiles'])}, in {top}."
        )
        figures += [
            (fmt.integer(len(missiles)), "missiles counted (CNS criterion)"),
            (fmt.integer(counts.launch_days(missiles)), "launch days"),
            (str(top), f"busiest year ({fmt.plural(years.at[top, 'missiles'], 'missile')})"),
        ]
    figures += [(fmt.integer(len(nuclear)), "nuclear tests"), (fmt.integer(len(sources)), "sources cited")]
    return sentence, figures


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
    """What the counts rest on: `missiles` is the selection (counts.select_missiles) of `missile_tests`."""
    figures = {
        "Dates counted (KST)": f"{start_date} to {end_date or 'the latest record'}",
        "Missiles counted (CNS criterion)": fmt.integer(len(missiles)),
        "Launch days counted (KST)": fmt.integer(counts.launch_days(missiles)),
    }
    if len(missiles):
        per_year = counts.per_period(missiles)
        latest = missiles.loc[missiles["date_kst"].idxmax()]
        figures |= {
            "Years covered": f"{missiles['date_kst'].min():%Y}–{missiles['date_kst'].max():%Y}",
            "Busiest year": f"{per_year['missiles'].idxmax():%Y} ({fmt.plural(per_year['missiles'].max(), 'missile')})",
            "Latest launch counted": f"{latest['date_kst']:%Y-%m-%d} ({latest['missile_class']})",
        }
    figures["Rows below the CNS criterion (not counted)"] = fmt.integer(
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
