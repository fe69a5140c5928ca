"""The ClaimReview JSON-LD: structure, safe embedding, atomic writing."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.checks import claimreview
from analysis.checks.claims import MIXED, NOT_TESTABLE, SUPPORTED, Verdict


@pytest.fixture
def ledger() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "claim_id": ["c01-a", "c02-b"],
            "quote": ["a short </script> quote", "another"],
            "claim": ["Claim A restated.", "Claim B restated."],
            "result": [
                Verdict("c01-a", SUPPORTED, rationale="Because A."),
                Verdict("c02-b", NOT_TESTABLE, rationale="Opinion."),
            ],
            "result_all_launches": [
                Verdict("c01-a", MIXED, rationale="Because not A."),
                Verdict("c02-b", NOT_TESTABLE, rationale="Opinion."),
            ],
        }
    )


def test_one_claim_review_per_claim(ledger):
    doc = claimreview.document(ledger)
    assert doc["@context"] == "https://schema.org"
    first, second = doc["@graph"]
    assert first["@type"] == "ClaimReview" and first["claimReviewed"] == "Claim A restated."
    assert first["reviewRating"] == {"@type": "Rating", "alternateName": SUPPORTED}
    assert first["itemReviewed"]["@type"] == "Claim"
    assert first["itemReviewed"]["appearance"] == {"@type": "CreativeWork", "name": claimreview.ARTICLE_NAME}
    assert "url" not in first["itemReviewed"]["appearance"]
    assert first["author"]["@type"] == "Organization" and first["author"]["name"]
    assert second["reviewRating"]["alternateName"] == NOT_TESTABLE


def test_the_setting_picks_the_verdict(ledger):
    assert claimreview.document(ledger, cns_threshold_only=False)["@graph"][0]["reviewRating"]["alternateName"] == MIXED


def test_script_cannot_be_closed_by_the_text(ledger):
    doc = claimreview.document(ledger)
    tag = claimreview.script(doc)
    assert tag.startswith('<script type="application/ld+json">') and tag.count("</script>") == 1
    body = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body) == doc


def test_published_document_reaches_the_render_step_not_the_disk(ledger):
    import nbformat

    from analysis.build import export

    doc = claimreview.document(ledger)
    data, metadata = claimreview.Published(doc, "claims.jsonld")._repr_mimebundle_()
    assert data["text/html"].startswith(claimreview.script(doc))
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=data, metadata=metadata)])
        ]
    )
    assert json.loads(export.published_files(nb)["claims.jsonld"]) == doc

    nb.cells[0].outputs[0].metadata = {claimreview.MIME: {"file": "../index.html"}}
    with pytest.raises(ValueError, match="plain name ending in .jsonld"):
        export.published_files(nb)
