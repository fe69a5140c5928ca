"""The project's transparency record as pages of the published site: the data dictionary (data/README.md), the
corrections log and the verdict log, each readable without opening the repository."""

from __future__ import annotations

import csv

from markupsafe import Markup

from analysis import settings
from analysis.data import fingerprint
from analysis.data.files import write_atomic

PAGES = {
    "data-dictionary": "Data dictionary",
    "corrections-log": "Corrections log",
    "verdict-log": "Verdict log",
}
DESCRIPTIONS = {
    "data-dictionary": "What each curated table holds, its inclusion criteria, coverage and known departures from the "
    "references it was built from.",
    "corrections-log": "Every place the project's tables knowingly differ from a reference copy, with the reason and "
    "the source that settles it.",
    "verdict-log": "Every change of a claim's verdict or key figures, dated, with the data version and the reason.",
}


def _rows(path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _table(rows: list[dict[str, str]], labels: dict[str, str], caption: str) -> Markup:
    """A plain table, every value escaped (no pandas: the render's main process stays light)."""
    head = Markup("").join(Markup("<th>{}</th>").format(label) for label in labels.values())
    body = Markup("").join(
        Markup("<tr>{}</tr>").format(Markup("").join(Markup("<td>{}</td>").format(r.get(c) or "—") for c in labels))
        for r in rows
    )
    return Markup(
        '<div class="table-scroll" role="region" aria-label="{0}" tabindex="0"><table><caption>{0}</caption>'
        "<thead><tr>{1}</tr></thead><tbody>{2}</tbody></table></div>"
    ).format(caption, head, body)


SOURCES = {
    "data-dictionary": ("data", "README.md"),
    "corrections-log": ("data", "corrections.csv"),
    "verdict-log": ("changes", "verdicts.csv"),
}


def _source(name: str):
    folder, file = SOURCES[name]
    return (settings.DATA_DIR if folder == "data" else settings.CHANGES_DIR) / file


def available() -> list[str]:
    """The pages whose source file the project has (a scratch project may have none)."""
    return [name for name in PAGES if _source(name).is_file()]


def body(name: str) -> Markup:
    """A page's body HTML (every value escaped; the dictionary's Markdown rendered with raw HTML escaped)."""
    path = _source(name)
    if name == "data-dictionary":
        import mistune

        text = path.read_text(encoding="utf-8")
        text = text.split("\n", 1)[1] if text.startswith("# ") else text  # the page has its own title
        return Markup(mistune.create_markdown(escape=True, plugins=["table"])(text))
    rows = _rows(path)
    if name == "corrections-log":
        labels = {
            "reference": "Reference",
            "rows": "Rows",
            "field": "Field",
            "reference_value": "The reference says",
            "reason": "Why the table differs",
            "source_ids": "Sources",
        }
        return _table(rows, labels, f"{len(rows)} entries")
    for v in rows:
        v["change"] = f"{v.get('old_verdict') or '—'} → {v.get('new_verdict') or '—'}"
    labels = {
        "date": "Date",
        "claim_id": "Claim",
        "setting": "Counting",
        "change": "Verdict",
        "data_version": "Data version",
        "reason": "Reason",
    }
    return _table(rows[::-1], labels, f"{len(rows)} entries, newest first")


def write() -> None:
    """reports/<page>.html for each page of the record (only when it changed)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(settings.PACKAGE_DIR / "templates"), autoescape=True)
    template = env.get_template("transparency.html.j2")
    facts = {"data_version": fingerprint.data_version(), "as_of": fingerprint.data_as_of()}
    for name in available():
        html = template.render(title=PAGES[name], description=DESCRIPTIONS[name], body=body(name), **facts)
        path = settings.REPORTS_DIR / f"{name}.html"
        if not path.is_file() or path.read_text(encoding="utf-8") != html:
            write_atomic(path, html)
