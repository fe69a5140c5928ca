"""Pieces every report ends with: the "Data and method" section and a download of the rows it used."""

from __future__ import annotations

import base64
import csv
import io

import pandas as pd
from IPython.display import HTML

from analysis import files, fingerprint, pages, tables, text, textsafety


def defused(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows as a CSV for people carries them: a text cell (or column name) a spreadsheet would read as a
    formula gets a leading apostrophe; numbers, and text such as "-3.5", stay as they are."""
    out = rows.rename(columns=lambda c: textsafety.neutralise(c) if isinstance(c, str) else c)
    for i in range(out.shape[1]):
        s = out.iloc[:, i]
        if (
            pd.api.types.is_object_dtype(s)
            or pd.api.types.is_string_dtype(s)
            or isinstance(s.dtype, pd.CategoricalDtype)
        ):
            out.isetitem(i, s.astype(object).map(lambda v: textsafety.neutralise(v) if isinstance(v, str) else v))
    return out


def _to_csv(rows: pd.DataFrame) -> str:
    """pandas' CSV with each field holding a carriage return quoted (pandas leaves it bare: a new row in a
    spreadsheet, where the rest of the cell would be read as a formula)."""
    with_crlf = rows.to_csv(index=False, lineterminator="\r\n")  # makes pandas quote a CR
    return files.csv_lines(csv.reader(io.StringIO(with_crlf, newline="")))


def _payload(rows: pd.DataFrame) -> str:
    return base64.b64encode(_to_csv(defused(rows)).encode("utf-8")).decode("ascii")


def download_link(rows: pd.DataFrame, filename: str, label: str | None = None) -> HTML:
    """A link that downloads `rows` as CSV; the file travels inside the page (a data: URI), so it works offline."""
    return pages.part(
        "download.html.j2",
        filename=filename,
        payload=_payload(rows),
        label=label or f"Download the {tables.plural(len(rows), 'row')} used ({filename})",
    )


CSV_MIME = "text/csv"


def csv_text(rows: pd.DataFrame) -> str:
    """Rows as the curated files write them (booleans true/false, no index, missing values empty), formulas
    defused."""
    out = defused(rows)
    for col in out.columns:
        if pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: "true", False: "false"})
    return _to_csv(out)


class PublishedCSV:
    """Rows offered as a download in the page and handed to `analysis render` as reports/data/<filename> (output
    metadata `{"text/csv": {"file": "data/<filename>"}}`): a notebook never writes build output."""

    def __init__(self, rows: pd.DataFrame, filename: str, label: str):
        self.rows, self.filename, self.label = rows, filename, label

    def _repr_mimebundle_(self, include=None, exclude=None):
        text = csv_text(self.rows)
        payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
        link = pages.render("download.html.j2", filename=self.filename, payload=payload, label=self.label)
        return ({"text/html": f"<p>{link}</p>", CSV_MIME: text}, {CSV_MIME: {"file": f"data/{self.filename}"}})


def sources_cited(frames: dict[str, pd.DataFrame], *cited: pd.DataFrame) -> pd.DataFrame:
    """The bibliography rows cited by the given rows."""
    ids = pd.concat([t["source_ids"] for t in cited if "source_ids" in t]).str.split(";").explode().unique()
    src = frames["sources"]
    return src[src["source_id"].isin(ids)][["source_id", "publisher", "title", "url"]].reset_index(drop=True)


def data_and_method(
    frames: dict[str, pd.DataFrame], rows: pd.DataFrame, filename: str, cns_threshold_only: bool | None = None
) -> HTML:
    """The closing section: inclusion criteria, data version, sources, and the rows as CSV."""
    return pages.part(
        "data_and_method.html.j2",
        criterion=None if cns_threshold_only is None else text.CRITERION[bool(cns_threshold_only)],
        data_version=fingerprint.data_version(),
        sources=list(sources_cited(frames, rows).itertuples()),
        filename=filename,
        payload=_payload(rows),
        label=f"Download the {tables.plural(len(rows), 'row')} used ({filename})",
    )


def headline(sentence: str, figures: list[tuple[str, str]]) -> HTML:
    """The answer a page opens with: one or two computed sentences and three to five key figures.

    `figures` are (value, label) pairs, both already formatted as text; all text is escaped."""
    return pages.part("headline.html.j2", sentence=sentence, figures=figures)


def findings(lines: list[str]) -> HTML:
    """Computed findings as a bulleted list that wraps with the page (plain print() lines overflow it)."""
    return pages.part("findings.html.j2", lines=lines)
