"""The claim ledger as schema.org ClaimReview JSON-LD, shaped as Google's fact-check documentation asks: embedded in
the scorecard page and handed to the render step, which publishes it as a file beside the page once the report has
succeeded.

One ClaimReview per claim the data can rate: a claim not testable with these data (or whose check cannot be
evaluated) gets none, since Google takes no review without a rating. The rating scale is RATINGS. The reviewed
article's title, address, publisher, author and date come from data/curated/articles.csv and appear only where that
table has them: an article copied without its header is described by the quote alone, never by placeholders.

Each review's `url` is the scorecard page followed by `#` and the claim's section anchor. The project has no fixed
site address (the site is wherever a clone publishes `reports/`), so the page is given as the caller has it,
usually its file name: schema.org's context types `url` as an IRI, which a JSON-LD reader resolves against the page
that embeds the document, or against the published file beside that page, to the same address. A caller that knows
the site's address passes the absolute one.
"""

from __future__ import annotations

import html
import json

import pandas as pd

from analysis.checks import engine, verdicts
from analysis.data import schema

MIME = "application/ld+json"
# The verdicts on a 1-5 scale (worst to best); "not testable" is no rating, so it has no ClaimReview.
RATINGS = {engine.CONTRADICTED: 1, engine.MIXED: 3, engine.CONSISTENT: 4, engine.SUPPORTED: 5}
WORST, BEST = 1, 5


def anchor(claim_id: str) -> str:
    """The id of a claim's section in the scorecard page, the fragment of its review's url."""
    return claim_id


def _known(value) -> bool:
    return not pd.isna(value) and str(value).strip() != ""


def _date(value) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def _organization(name: str) -> dict:
    return {"@type": "Organization", "name": name}


def item_reviewed(quote: str, article) -> dict:
    """The reviewed Claim: the article's author (a Person) where articles.csv names one, else its publisher (an
    Organization); its date; and its appearance (the article: address, headline, publisher, date), each only
    where known."""
    item: dict = {"@type": "Claim", "text": quote}
    if _known(article.author):
        item["author"] = {"@type": "Person", "name": article.author}
    elif _known(article.publisher):
        item["author"] = _organization(article.publisher)
    if _known(article.date_published):
        item["datePublished"] = _date(article.date_published)
    appearance: dict = {}
    if _known(article.url):
        appearance["url"] = article.url
    if _known(article.title):
        appearance["headline"] = article.title
    if appearance:
        if _known(article.publisher):
            appearance["publisher"] = _organization(article.publisher)
        if "datePublished" in item:
            appearance["datePublished"] = item["datePublished"]
        item["appearance"] = {"@type": "CreativeWork", **appearance}
    return item


def claim_review(row, result: engine.Result, article, page_url: str, author: str, logged: tuple[str, str] | None):
    """One ClaimReview for a ledger row rated with `result`; `logged` is the (first, latest) date of its rows in the
    verdict log, published as datePublished and dateModified."""
    dates = {"datePublished": logged[0], "dateModified": logged[1]} if logged else {}
    return {
        "@type": "ClaimReview",
        "url": f"{page_url}#{anchor(row.claim_id)}",
        "identifier": row.claim_id,
        "claimReviewed": row.claim,
        "author": _organization(author),
        **dates,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[result.verdict],
            "bestRating": BEST,
            "worstRating": WORST,
            "alternateName": result.verdict,
        },
        "itemReviewed": item_reviewed(row.quote, article),
    }


def document(
    ledger: pd.DataFrame,
    articles: pd.DataFrame,
    page_url: str,
    cns_threshold_only: bool = True,
    log: pd.DataFrame | None = None,
) -> dict:
    """The ledger's rated claims as one JSON-LD document (a @graph of ClaimReviews) under the given inclusion
    setting: `articles` is the articles table, `page_url` the scorecard page (its file name, or its absolute
    address), dates from the verdict log (`verdicts.load()` unless given)."""
    author = schema.package()["title"]
    log = verdicts.load() if log is None else log
    setting = verdicts.SETTINGS[bool(cns_threshold_only)]
    by_id = articles.set_index("article_id")
    graph = []
    for row in ledger.itertuples():
        result = row.result if cns_threshold_only else row.result_all_launches
        if result.verdict in RATINGS:
            article = by_id.loc[row.article_id]
            logged = verdicts.dates(row.claim_id, setting, log)
            graph.append(claim_review(row, result, article, page_url, author, logged))
    return {"@context": "https://schema.org", "@graph": graph}


def script(doc: dict) -> str:
    """A <script type="application/ld+json"> element; '<' is escaped so no text can close the element."""
    body = json.dumps(doc, ensure_ascii=False).replace("<", "\\u003c")
    return f'<script type="application/ld+json">{body}</script>'


def text(doc: dict) -> str:
    """The document as its published file holds it."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class Published:
    """Shows the document in the page and hands it to `analysis render` as reports/<filename>
    (output metadata `{"application/ld+json": {"file": filename}}`): a notebook never writes build output."""

    def __init__(self, doc: dict, filename: str):
        self.doc, self.filename = doc, filename

    def _repr_mimebundle_(self, include=None, exclude=None):
        note = (
            f"<p>{len(self.doc['@graph'])} ClaimReview records, one per claim the data can rate, "
            f"also published as {html.escape(self.filename)}.</p>"
        )
        return ({MIME: self.doc, "text/html": script(self.doc) + note}, {MIME: {"file": self.filename}})
