"""Pieces every report ends with: the "Data and method" section and a download of the rows it used."""

from __future__ import annotations

import base64
import csv
import io
import json

import numpy as np
import pandas as pd
from IPython.display import HTML

from analysis import fmt, settings
from analysis.data import files, fingerprint, schema, textsafety
from analysis.pages import escape, lab

# A page's opening answer: one or two sentences and (value, label) key figures, both already text.
Headline = tuple[str, list[tuple[str, str]]]


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


def _written(rows: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """The rows as the curated files write them (booleans true/false, whole numbers as integers, dates ISO,
    missing values empty, formulas defused) and their columns as table schema fields."""
    out = defused(rows)
    described = _descriptions([c for c in rows.columns if isinstance(c, str)])
    fields = []
    for i in range(out.shape[1]):
        s, kind = out.iloc[:, i], "string"
        if pd.api.types.is_bool_dtype(s):
            out.isetitem(i, s.map({True: "true", False: "false"}))
            kind = "boolean"
        elif pd.api.types.is_integer_dtype(s):
            kind = "integer"
        elif pd.api.types.is_float_dtype(s):
            v = s.dropna()
            kind = "integer" if (np.isfinite(v) & (v == np.floor(v)) & (v.abs() < 2**53)).all() else "number"
            if kind == "integer":
                out.isetitem(i, s.astype("Int64"))
        elif pd.api.types.is_datetime64_dtype(s):
            v = s.dropna()
            kind = "date" if (v == v.dt.normalize()).all() else "datetime"
            if kind == "date":
                out.isetitem(i, s.dt.strftime("%Y-%m-%d"))
        field = {"name": str(out.columns[i]), "type": kind}
        if rows.columns[i] in described:
            field["description"] = described[rows.columns[i]]
        fields.append(field)
    return out, fields


def _descriptions(columns: list[str]) -> dict[str, str]:
    """Each column's description from the curated table sharing the most columns with the rows first, then the
    others in the data package's order; {} without a readable data package."""
    try:
        tables = [
            {f["name"]: f["description"] for f in r["schema"]["fields"] if f.get("description")}
            for r in schema.package(settings.DATAPACKAGE)["resources"]
        ]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    out = {}
    for described in sorted(tables, key=lambda t: -len(t.keys() & set(columns))):
        out |= {c: described[c] for c in columns if c in described and c not in out}
    return out


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _download(rows: pd.DataFrame, filename: str, label: str | None = None) -> tuple[dict[str, str], str]:
    """The values of download.html.j2 for `rows` (the CSV, and its table schema as <name>.schema.json), and the
    CSV text."""
    out, fields = _written(rows)
    text = _to_csv(out)
    values = {
        "filename": filename,
        "payload": _b64(text),
        "label": label or f"Download the {fmt.plural(len(rows), 'row')} used ({filename})",
        "schema_name": filename.removesuffix(".csv") + ".schema.json",
        "schema_payload": _b64(json.dumps({"fields": fields}, ensure_ascii=False) + "\n"),
    }
    return values, text


def download_link(rows: pd.DataFrame, filename: str, label: str | None = None) -> HTML:
    """A link that downloads `rows` as CSV, and one for its table schema; the files travel inside the page (data:
    URIs), so they work offline."""
    return escape.part("download.html.j2", **_download(rows, filename, label)[0])


CSV_MIME = "text/csv"


def csv_text(rows: pd.DataFrame) -> str:
    """Rows as the curated files write them (booleans true/false, whole numbers as integers, dates ISO, no index,
    missing values empty), formulas defused."""
    return _to_csv(_written(rows)[0])


def _payload(rows: pd.DataFrame) -> str:
    return _b64(csv_text(rows))


class PublishedCSV:
    """Rows offered as a download in the page (with their table schema) and handed to `analysis render` as
    reports/data/<filename> (output metadata `{"text/csv": {"file": "data/<filename>"}}`): a notebook never writes
    build output."""

    def __init__(self, rows: pd.DataFrame, filename: str, label: str):
        self.rows, self.filename, self.label = rows, filename, label

    def _repr_mimebundle_(self, include=None, exclude=None):
        values, text = _download(self.rows, self.filename, self.label)
        link = escape.render("download.html.j2", **values)
        return (
            {"text/html": f"<p>{link}</p>", CSV_MIME: text},
            {CSV_MIME: {"file": f"data/{self.filename}"}},
        )


def sources_cited(frames: dict[str, pd.DataFrame], *cited: pd.DataFrame) -> pd.DataFrame:
    """The bibliography rows cited by the given rows."""
    ids = pd.concat([t["source_ids"] for t in cited if "source_ids" in t]).str.split(";").explode().unique()
    src = frames["sources"]
    return src[src["source_id"].isin(ids)][["source_id", "publisher", "title", "url"]].reset_index(drop=True)


def data_and_method(
    frames: dict[str, pd.DataFrame], rows: pd.DataFrame, filename: str, cns_threshold_only: bool | None = None
) -> HTML:
    """The closing section: inclusion criteria, data version, sources, and the rows as CSV with their schema."""
    section = escape.render(
        "data_and_method.html.j2",
        criterion=None if cns_threshold_only is None else fmt.CRITERION[bool(cns_threshold_only)],
        data_version=fingerprint.data_version(),
        sources=list(sources_cited(frames, rows).itertuples()),
        **_download(rows, filename)[0],
    )
    return HTML(section)


def headline(sentence: str, figures: list[tuple[str, str]]) -> HTML:
    """The answer a page opens with: one or two computed sentences and three to five key figures.

    `figures` are (value, label) pairs, both already formatted as text; all text is escaped. In JupyterLab it
    carries its stylesheet rules (the pages have them in their own)."""
    return HTML(lab.headline_style() + escape.render("headline.html.j2", sentence=sentence, figures=figures))


def findings(lines: list[str]) -> HTML:
    """Computed findings as a bulleted list that wraps with the page (plain print() lines overflow it)."""
    return escape.part("findings.html.j2", lines=lines)
