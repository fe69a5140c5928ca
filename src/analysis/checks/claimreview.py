"""The claim ledger as schema.org ClaimReview JSON-LD: embedded in the scorecard page and handed to the render
step, which publishes it as a file beside the page once the report has succeeded."""

from __future__ import annotations

import html
import json

import pandas as pd

from analysis.checks import claims, verdicts
from analysis.data import schema

# The reviewed article carries no title, byline or address: these are placeholders.
ARTICLE_NAME = "News article on a proposed Trump-Kim meeting during Trump's Asia trip"
ARTICLE_AUTHOR = "Author of the reviewed article (not named)"
MIME = "application/ld+json"


def _publisher() -> str:
    return schema.package()["title"]


def claim_review(row, cns_threshold_only: bool, publisher: str, logged: tuple[str, str] | None = None) -> dict:
    """One ClaimReview for a ledger row, rated with the verdict under the given inclusion setting; `logged` is the
    (first, latest) date of its rows in the verdict log, published as datePublished and dateModified."""
    verdict: claims.Verdict = row.result if cns_threshold_only else row.result_all_launches
    dates = {"datePublished": logged[0], "dateModified": logged[1]} if logged else {}
    return {
        "@type": "ClaimReview",
        "identifier": row.claim_id,
        "claimReviewed": row.claim,
        "reviewBody": verdict.rationale,
        "reviewRating": {"@type": "Rating", "alternateName": verdict.verdict},
        "itemReviewed": {
            "@type": "Claim",
            "text": row.quote,
            "appearance": {"@type": "CreativeWork", "name": ARTICLE_NAME},
            "author": {"@type": "Person", "name": ARTICLE_AUTHOR},
        },
        "author": {"@type": "Organization", "name": publisher},
    } | dates


def document(ledger: pd.DataFrame, cns_threshold_only: bool = True, log: pd.DataFrame | None = None) -> dict:
    """Every claim of the ledger as one JSON-LD document (a @graph of ClaimReviews), dated from the verdict log
    (`verdicts.load()` unless given)."""
    publisher = _publisher()
    log = verdicts.load() if log is None else log
    setting = verdicts.SETTINGS[bool(cns_threshold_only)]
    return {
        "@context": "https://schema.org",
        "@graph": [
            claim_review(row, cns_threshold_only, publisher, verdicts.dates(row.claim_id, setting, log))
            for row in ledger.itertuples()
        ],
    }


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
        note = f"<p>{len(self.doc['@graph'])} ClaimReview records, also published as {html.escape(self.filename)}.</p>"
        return ({MIME: self.doc, "text/html": script(self.doc) + note}, {MIME: {"file": self.filename}})
