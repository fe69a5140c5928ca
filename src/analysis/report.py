"""Pieces every report ends with: the "Data and method" section and a download of the rows it used."""

from __future__ import annotations

import base64
import html

import pandas as pd
from IPython.display import HTML, Markdown

from analysis import fingerprint

CRITERION = {
    True: "CNS criterion only: missiles able to carry 500 kg at least 300 km (CNS North Korea Missile Test Database, "
    "with launches after its last update judged by the same rule).",
    False: "All launches in the table: the CNS-criterion missiles plus cruise missiles from the CSIS Beyond Parallel record.",
}


def download_link(rows: pd.DataFrame, filename: str, label: str | None = None) -> HTML:
    """A link that downloads `rows` as CSV; the file travels inside the page (a data: URI), so it works offline."""
    payload = base64.b64encode(rows.to_csv(index=False).encode("utf-8")).decode("ascii")
    text = html.escape(label or f"Download the {len(rows)} rows used ({filename})")
    return HTML(f'<a download="{html.escape(filename)}" href="data:text/csv;base64,{payload}">{text}</a>')


def sources_cited(frames: dict[str, pd.DataFrame], *tables: pd.DataFrame) -> pd.DataFrame:
    """The bibliography rows cited by the given rows."""
    ids = pd.concat([t["source_ids"] for t in tables if "source_ids" in t]).str.split(";").explode().unique()
    src = frames["sources"]
    return src[src["source_id"].isin(ids)][["source_id", "publisher", "title", "url"]].reset_index(drop=True)


def data_and_method(frames: dict[str, pd.DataFrame], rows: pd.DataFrame, filename: str, cns_threshold_only: bool | None = None) -> HTML:
    """The closing section: inclusion criteria, data version, sources, and the rows as CSV."""
    parts = ["<h2>Data and method</h2>"]
    if cns_threshold_only is not None:
        parts.append(f"<p><b>Inclusion:</b> {html.escape(CRITERION[bool(cns_threshold_only)])}</p>")
    parts.append(
        f"<p><b>Data version:</b> <code>{fingerprint.data_version()}</code> (hash of the curated tables in "
        "<code>data/curated/</code>; dates are Korean (KST) calendar dates unless a column says UTC).</p>"
    )
    cited = sources_cited(frames, rows)
    items = "".join(
        f'<li>{html.escape(r.publisher)}, <a href="{html.escape(r.url)}"><i>{html.escape(r.title)}</i></a></li>'
        for r in cited.itertuples()
    )
    parts.append(f"<p><b>Sources of these rows:</b></p><ul>{items}</ul>")
    parts.append(f"<p>{download_link(rows, filename).data}</p>")
    return HTML("\n".join(parts))


def headline(sentence: str, figures: list[tuple[str, str]]) -> HTML:
    """The answer a page opens with: one or two computed sentences and three to five key figures.

    `figures` are (value, label) pairs, both already formatted as text; all text is escaped."""
    items = "".join(
        f'<div class="key-figure"><dt>{html.escape(label)}</dt><dd>{html.escape(value)}</dd></div>' for value, label in figures
    )
    return HTML(f'<section class="headline"><p class="lede">{html.escape(sentence)}</p><dl class="key-figures">{items}</dl></section>')


def findings(lines: list[str]) -> Markdown:
    """Computed findings as a bulleted list that wraps with the page (plain print() lines overflow it)."""
    return Markdown("\n".join(f"- {line}" for line in lines))
