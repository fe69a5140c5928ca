"""reports/index.html, the front page: the article's question and the scorecard's answer first, then every report
grouped by topic, each with its title, the headline its page opens with (read back from the page served, so a
failed report still shows the last good page's answer, marked failed) and a small picture of its first chart
(analysis.build.thumbnails), named by that chart's title; build details fold away per report.

Only the stdlib parses the pages: the no-op render path stays free of heavy imports.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from analysis import settings
from analysis.build import registry, staleness, thumbnails
from analysis.data import database, fingerprint, records
from analysis.data.files import write_atomic
from analysis.pages import transparency

# Topics in the order the front page shows them, keyed by registry key; other reports go under the last one.
TOPICS = {
    "The claims": ("claims-scorecard", "claims-scorecard-cnn"),
    "Summits and meetings": ("summit-overview", "event-window"),
    "Weapons testing": ("tempo-timeline", "capabilities", "nuclear-sanctions"),
    "The data": ("data-overview",),
}
OTHER = "More reports"
LEAD = "claims-scorecard"  # the report whose answer opens the front page


@dataclass
class Headline:
    """What a page opens with: its title (first h1), its computed answer and its key figures; and the title of
    its first chart."""

    title: str = ""
    sentence: str = ""
    figures: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    chart: str = ""


class _Reader(HTMLParser):
    """Collects the first h1 and the first headline section's lede and key figures."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = Headline()
        self.capture = ""  # the tag whose text is being collected: h1, p (the lede), dt, dd
        self.in_headline = False
        self.text: list[str] = []
        self.label = ""

    def handle_starttag(self, tag, attrs):
        if self.capture:
            return
        classes = (dict(attrs).get("class") or "").split()
        if tag == "section" and "headline" in classes and not self.found.sentence:
            self.in_headline = True
        elif (tag == "h1" and not self.found.title) or (
            self.in_headline and ((tag == "p" and "lede" in classes) or tag in ("dt", "dd"))
        ):
            self.capture, self.text = tag, []

    def handle_endtag(self, tag):
        if self.capture and tag == self.capture:
            text = " ".join("".join(self.text).replace("\u00b6", "").split())  # without the heading's anchor mark
            if tag == "h1":
                self.found.title = text
            elif tag == "p":
                self.found.sentence = text
            elif tag == "dt":
                self.label = text
            else:
                self.found.figures.append((text, self.label))
            self.capture = ""
        elif tag == "section" and not self.capture:
            self.in_headline = False

    def handle_data(self, data):
        if self.capture:
            self.text.append(data)


# A chart's <figure> as analysis.build.export writes it (in any attribute order), named by the chart's title.
_CHART = re.compile(rb'<figure\b(?=[^>]*\bclass="plotly-figure")[^>]*\baria-label="([^"]*)"')


def read_headline(page: Path) -> Headline:
    """The title, answer and key figures of a rendered page, and its first chart's title (empty when the page or
    its headline is missing)."""
    try:
        data = page.read_bytes()
    except OSError:
        return Headline()
    # plotly.js in the head is most of a page: the title and the headline open the body, and no script holds them.
    body = data[max(data.find(b"<body"), 0) :]
    chart = _CHART.search(body)
    headline = body.find(b'<section class="headline"')
    if headline >= 0 and (end := body.find(b"</section>", headline)) >= 0:
        body = body[: end + len(b"</section>")]
    reader = _Reader()
    reader.feed(re.sub(r"<script\b.*?</script>", "", body.decode("utf-8", "replace"), flags=re.S | re.I))
    if chart:
        reader.found.chart = html.unescape(chart[1].decode("utf-8", "replace"))
    return reader.found


@cache
def _rows(table: str) -> tuple[dict, ...]:
    try:
        return tuple(records.dicts(settings.CURATED_DIR / f"{table}.csv"))
    except records.DataError:
        return ()


def _describe(row: dict) -> str:
    """A row as a reader names it: its title and first date ('Singapore summit (12 June 2018)')."""
    name = row.get("title") or row.get("name") or ""
    when = next((row[c] for c in ("start_date", "date", "date_kst") if row.get(c)), "")
    try:
        when = f"{dt.date.fromisoformat(when):%-d %B %Y}"
    except ValueError:
        pass
    return f"{name} ({when})" if name and when else name


def registry_title(report: registry.Report) -> str:
    """The registry's title with each id it names (a parameter listed under `ids:`) replaced by that row's title
    and date, so a sweep's titles read as words, not slugs."""
    title = report.title
    for param, ref in report.ids.items():
        value = report.parameters.get(param)
        table, column = ref.split(".")
        row = next((r for r in _rows(table) if value is not None and r.get(column) == str(value)), None)
        if row and _describe(row):
            title = title.replace(str(value), _describe(row))
    return title


@dataclass
class Entry:
    report: registry.Report
    state: dict
    has_html: bool
    has_log: bool
    headline: Headline

    @property
    def title(self) -> str:
        return self.headline.title or registry_title(self.report)

    @property
    def picture(self) -> str | None:
        """The picture of the page's first chart, relative to the front page (None without one)."""
        path = thumbnails.path(self.report.name)
        return path.relative_to(settings.REPORTS_DIR).as_posix() if self.has_html and path.is_file() else None


def _topics(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    topic_of = {key: topic for topic, keys in TOPICS.items() for key in keys}
    grouped: dict[str, list[Entry]] = {topic: [] for topic in [*TOPICS, OTHER]}
    for e in entries:
        grouped[topic_of.get(e.report.group, OTHER)].append(e)
    rank = {key: i for keys in TOPICS.values() for i, key in enumerate(keys)}
    for items in grouped.values():  # within a topic, the order TOPICS gives (an overview before its pages)
        items.sort(key=lambda e: rank.get(e.report.group, len(rank)))
    return [(topic, items) for topic, items in grouped.items() if items]


def build(reports: list[registry.Report], states: dict) -> str:
    """The front page's HTML."""
    import jinja2

    entries = [
        Entry(
            r,
            states.get(r.name, {}),
            staleness.html(r.name).is_file(),
            (staleness.logs_dir() / f"{r.name}.ipynb").is_file(),
            read_headline(staleness.html(r.name)),
        )
        for r in reports
    ]
    titles = {}
    for e in entries:  # a title shared by several reports (a sweep's, one notebook's) names none: use the registry's
        titles.setdefault(e.headline.title, []).append(e)
    for title, same in titles.items():
        if title and len(same) > 1:
            for e in same:
                e.headline.title = ""
    lead = next((e for e in entries if e.report.group == LEAD and e.has_html), None)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(settings.PACKAGE_DIR / "templates"), autoescape=True)
    return env.get_template("index.html.j2").render(
        lead=lead,
        topics=_topics([e for e in entries if e is not lead]),
        failed=[e for e in entries if e.state.get("status") == "failed"],
        data_version=staleness.read_json(staleness.state_dir() / "data.json").get("data_version"),
        as_of=fingerprint.data_as_of(),
        record=[(name, transparency.PAGES[name]) for name in transparency.available()],
        data_files=staleness.published(),
        database=database.FILENAME if (settings.REPORTS_DIR / "data" / database.FILENAME).is_file() else None,
    )


def write(reports: list[registry.Report], states: dict) -> None:
    """Write reports/index.html (only when it changed)."""
    html = build(reports, states)
    index = settings.REPORTS_DIR / "index.html"
    if not index.is_file() or index.read_text(encoding="utf-8") != html:
        write_atomic(index, html)
