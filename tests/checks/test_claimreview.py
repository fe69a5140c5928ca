"""The ClaimReview JSON-LD: held to Google's fact-check documentation, safe embedding, handing to the render step.

Google's fact-check (ClaimReview) structured data, as its documentation lists the properties:
- ClaimReview: required `claimReviewed` (Text), `reviewRating` (Rating), `url` (URL of the page with the fact
  check, same domain as the page holding the markup; a fragment names the claim's place in it); recommended
  `author` (Organization or Person, with a name), `datePublished` (date), `itemReviewed` (Claim).
- Rating: required `alternateName` (the rating as words, the one thing search results show); recommended
  `ratingValue` (a number within worstRating..bestRating, higher is truer), `bestRating`, `worstRating`
  (the scale must be documented), `name`.
- Claim: recommended `author` (Organization or Person: who made the claim), `datePublished`, `appearance`
  (URL or CreativeWork where the claim appears), `firstAppearance` (the same, for its first appearance).
Not used: Rating `name` (it would repeat alternateName) and `firstAppearance` (the only appearance known is the
checked article). A claim's author, date and appearance are given when articles.csv knows them and are otherwise
left out: a placeholder would be a false statement, an omission is only a missing recommendation.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import factories
import pandas as pd
import pytest

from analysis.checks import claimreview, verdicts
from analysis.checks import engine as E
from analysis.checks import vocabulary as V

PAGE = "claims-scorecard.html"
SITE_PAGE = "https://example.org/nk/claims-scorecard.html"
PLACEHOLDERS = re.compile(r"^\s*$|unknown|not named|placeholder|^n/?a$|^nan$|^none$|^nat$", re.IGNORECASE)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ARTICLES = factories.frame(
    "articles",
    [
        # A copy without its header: nothing known but the text.
        dict(article_id="no-header", text_file="article.txt"),
        # A wire report: headline, publisher, date and address, no byline.
        dict(
            article_id="wire",
            title="North Korea fires three missiles",
            publisher="Wire Service",
            date_published="2022-12-31",
            url="https://news.example/wire-report",
            text_file="articles/wire.txt",
        ),
        # A signed column.
        dict(
            article_id="signed",
            title="What the summits changed",
            publisher="A Daily",
            author="Jane Writer",
            date_published="2019-03-01",
            url="https://daily.example/column",
            text_file="articles/signed.txt",
        ),
    ],
)


def evaluated(cns: bool) -> E.Result:
    """A root check run by the engine on a factory table (3 launch days in 2022, one of them outside the CNS
    criterion), so a real Result, not only hand-made ones, goes through the document."""
    frames = {
        "missile_tests": factories.missiles(
            [
                *factories.salvo("2022-03-24", 2),
                dict(date_kst="2022-11-02"),
                dict(date_kst="2022-12-31", missile_class="cruise", cns_threshold=False),
            ]
        )
    }
    checks = {
        "c01-launch-days": V.parse(
            "c01-launch-days", "count", "table=missile_tests; from=2022; to=2022; measure=launch_days; stated=3"
        )
    }
    return E.evaluate(checks, "c01-launch-days", E.Context(frames, cns))


def ledger_row(claim_id: str, article_id: str, result: E.Result, result_all: E.Result | None = None, testable=True):
    result_all = result if result_all is None else result_all
    return {
        "claim_id": claim_id,
        "article_id": article_id,
        "paragraph": 1,
        "quote": f"the words of {claim_id}",
        "claim": f"The claim {claim_id} restated.",
        "testable": testable,
        "reason": result.reason,
        "verdict": result.verdict,
        "verdict_all_launches": result_all.verdict,
        "depends_on_setting": result.verdict != result_all.verdict,
        "result": result,
        "result_all_launches": result_all,
    }


def ledger_of(article_id: str) -> pd.DataFrame:
    """One claim of each rated verdict (the first evaluated by the engine), a testable claim the data could not
    answer, and a claim not testable at all."""
    rated = [E.SUPPORTED, E.CONSISTENT, E.MIXED, E.CONTRADICTED]
    ids = {v: f"c{i:02d}-{v.split(',')[0]}" for i, v in enumerate(rated, 2)}
    no_data = E.Result("c06-no-data", "first_since", E.NOT_TESTABLE, reason="no missile_tests row on 2019-05-04")
    opinion = E.Result("c07-opinion", "none", E.NOT_TESTABLE, reason="An opinion.")
    return pd.DataFrame(
        [
            ledger_row("c01-launch-days", article_id, evaluated(True), evaluated(False)),
            *(ledger_row(ids[v], article_id, E.Result(ids[v], "count", v)) for v in rated),
            ledger_row("c06-no-data", article_id, no_data),
            ledger_row("c07-opinion", article_id, opinion, testable=False),
        ]
    )


def log_for(claim_id: str, *dates: str) -> pd.DataFrame:
    rows = [
        {"date": d, "claim_id": claim_id, "setting": verdicts.SETTINGS[True], "new_verdict": E.SUPPORTED} for d in dates
    ]
    return pd.DataFrame(rows, columns=verdicts.COLUMNS)


EMPTY_LOG = log_for("none")


def doc_for(article_id: str, page: str = PAGE, cns: bool = True, log: pd.DataFrame = EMPTY_LOG) -> dict:
    return claimreview.document(ledger_of(article_id), ARTICLES, page, cns, log)


# ---- the validator -----------------------------------------------------------------------------------------------


def _party(value, where: str, types=("Organization", "Person")) -> list[str]:
    if not isinstance(value, dict) or value.get("@type") not in types:
        return [f"{where}: not an {' or '.join(types)}"]
    if not isinstance(value.get("name"), str) or not value["name"].strip():
        return [f"{where}: no name"]
    return []


def _strings(value, where: str):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")
    elif isinstance(value, str):
        yield where, value


def problems(doc: dict, anchors: set[str], page: str) -> list[str]:
    """Everything in the document Google's documentation would flag, or that the project promises: required
    properties present and typed, the rating within its scale, each url the page plus an existing claim anchor,
    absolute when the page's address is, dates ISO, no placeholder anywhere."""
    out = []
    if doc.get("@context") != "https://schema.org" or not isinstance(doc.get("@graph"), list):
        return ["not a schema.org @graph"]
    absolute = bool(urlsplit(page).scheme)
    for i, r in enumerate(doc["@graph"]):
        at = f"@graph[{i}]"
        if r.get("@type") != "ClaimReview":
            out.append(f"{at}: @type is not ClaimReview")
        if not isinstance(r.get("claimReviewed"), str) or not r["claimReviewed"].strip():
            out.append(f"{at}: claimReviewed missing")
        url = r.get("url")
        if not isinstance(url, str):
            out.append(f"{at}: url missing")
        else:
            parts = urlsplit(url)
            if parts.fragment not in anchors:
                out.append(f"{at}: url fragment {parts.fragment!r} is no claim's anchor")
            if url.partition("#")[0] != page:
                out.append(f"{at}: url {url!r} is not on the page {page!r}")
            if absolute and not (parts.scheme in ("http", "https") and parts.netloc):
                out.append(f"{at}: url {url!r} is not absolute")
        rating = r.get("reviewRating")
        if not isinstance(rating, dict) or rating.get("@type") != "Rating":
            out.append(f"{at}: reviewRating missing")
        else:
            if not isinstance(rating.get("alternateName"), str) or not rating["alternateName"].strip():
                out.append(f"{at}: reviewRating.alternateName missing")
            numbers = [rating.get(k) for k in ("worstRating", "ratingValue", "bestRating")]
            if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
                out.append(f"{at}: reviewRating worstRating/ratingValue/bestRating are not all integers")
            elif not numbers[0] <= numbers[1] <= numbers[2] or numbers[0] == numbers[2]:
                out.append(f"{at}: reviewRating {numbers[1]} is not within {numbers[0]}..{numbers[2]}")
        out += _party(r.get("author"), f"{at}.author", ("Organization",))
        for key in ("datePublished", "dateModified"):
            if key in r and not ISO_DATE.match(str(r[key])):
                out.append(f"{at}.{key}: {r[key]!r} is not a date")
        item = r.get("itemReviewed")
        if not isinstance(item, dict) or item.get("@type") != "Claim":
            out.append(f"{at}: itemReviewed is not a Claim")
            continue
        if "author" in item:
            out += _party(item["author"], f"{at}.itemReviewed.author")
        if "datePublished" in item and not ISO_DATE.match(str(item["datePublished"])):
            out.append(f"{at}.itemReviewed.datePublished: not a date")
        if "appearance" in item:
            app = item["appearance"]
            if not isinstance(app, dict) or app.get("@type") not in ("CreativeWork", "NewsArticle"):
                out.append(f"{at}.itemReviewed.appearance: not a CreativeWork")
            elif not (app.get("url") or app.get("headline")):
                out.append(f"{at}.itemReviewed.appearance: neither url nor headline")
            elif "url" in app and not urlsplit(app["url"]).scheme.startswith("http"):
                out.append(f"{at}.itemReviewed.appearance.url: not an address")
            elif "publisher" in app:
                out += _party(app["publisher"], f"{at}.itemReviewed.appearance.publisher", ("Organization",))
        out += [f"{where}: placeholder value {s!r}" for where, s in _strings(r, at) if PLACEHOLDERS.search(s)]
    return out


def anchors_of(article_id: str) -> set[str]:
    return {claimreview.anchor(c) for c in ledger_of(article_id)["claim_id"]}


# ---- the document --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("article_id", ["no-header", "wire", "signed"])
@pytest.mark.parametrize("page", [PAGE, SITE_PAGE])
def test_every_review_meets_googles_required_and_recommended_properties(article_id, page):
    doc = doc_for(article_id, page, log=log_for("c02-supported", "2026-01-01", "2026-05-01"))
    assert problems(doc, anchors_of(article_id), page) == []
    assert json.loads(claimreview.text(doc)) == doc


def test_the_claim_is_described_only_by_what_the_article_table_knows():
    bare = doc_for("no-header")["@graph"][0]["itemReviewed"]
    assert bare == {"@type": "Claim", "text": "the words of c01-launch-days"}

    wire = doc_for("wire")["@graph"][0]["itemReviewed"]
    assert wire["author"] == {"@type": "Organization", "name": "Wire Service"}
    assert wire["datePublished"] == "2022-12-31"
    assert wire["appearance"] == {
        "@type": "CreativeWork",
        "url": "https://news.example/wire-report",
        "headline": "North Korea fires three missiles",
        "publisher": {"@type": "Organization", "name": "Wire Service"},
        "datePublished": "2022-12-31",
    }

    signed = doc_for("signed")["@graph"][0]["itemReviewed"]
    assert signed["author"] == {"@type": "Person", "name": "Jane Writer"}
    assert signed["appearance"]["publisher"] == {"@type": "Organization", "name": "A Daily"}


def test_one_review_per_rated_claim_on_the_documented_scale():
    graph = doc_for("wire")["@graph"]
    by_id = {r["identifier"]: r for r in graph}
    assert set(by_id) == {"c01-launch-days", "c02-supported", "c03-consistent", "c04-mixed", "c05-contradicted"}
    scale = {r["reviewRating"]["alternateName"]: r["reviewRating"]["ratingValue"] for r in graph}
    assert scale == {E.SUPPORTED: 5, E.CONSISTENT: 4, E.MIXED: 3, E.CONTRADICTED: 1}
    review = by_id["c02-supported"]
    assert review["url"] == f"{PAGE}#c02-supported"
    assert review["claimReviewed"] == "The claim c02-supported restated."
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    assert {r["reviewRating"]["bestRating"] for r in graph} == {5}
    assert {r["reviewRating"]["worstRating"] for r in graph} == {1}


def test_the_setting_picks_the_verdict():
    # The engine's count: 3 launch days under all launches (as stated), 2 under the CNS criterion.
    cns, every = (doc_for("wire", cns=c)["@graph"][0] for c in (True, False))
    assert cns["reviewRating"]["alternateName"] == E.CONTRADICTED and cns["reviewRating"]["ratingValue"] == 1
    assert every["reviewRating"]["alternateName"] == E.SUPPORTED and every["reviewRating"]["ratingValue"] == 5


def test_review_dates_come_from_the_verdict_log():
    graph = doc_for("wire", log=log_for("c02-supported", "2026-01-01", "2026-05-01"))["@graph"]
    by_id = {r["identifier"]: r for r in graph}
    assert by_id["c02-supported"]["datePublished"] == "2026-01-01"
    assert by_id["c02-supported"]["dateModified"] == "2026-05-01"
    assert "datePublished" not in by_id["c03-consistent"]  # not logged: no date rather than a made-up one


# ---- the validator can fail ----------------------------------------------------------------------------------------


def _drop(path):
    def change(review):
        *head, last = path
        for key in head:
            review = review[key]
        del review[last]

    return change


def _set(path, value):
    def change(review):
        *head, last = path
        for key in head:
            review = review[key]
        review[last] = value

    return change


@pytest.mark.parametrize(
    "change, found",
    [
        (_drop(["url"]), "url missing"),
        (_set(["url"], f"{PAGE}#c99-nowhere"), "no claim's anchor"),
        (_set(["url"], "other.html#c02-supported"), "is not on the page"),
        (_drop(["claimReviewed"]), "claimReviewed missing"),
        (_drop(["reviewRating", "alternateName"]), "alternateName missing"),
        (_set(["reviewRating", "ratingValue"], 7), "not within 1..5"),
        (_set(["reviewRating", "ratingValue"], "5"), "not all integers"),
        (_set(["author"], {"@type": "Person", "name": "A"}), "not an Organization"),
        (_set(["itemReviewed", "author"], {"@type": "Person", "name": "Unknown"}), "placeholder"),
        (_set(["itemReviewed", "appearance"], {"@type": "CreativeWork", "name": "An article"}), "neither url"),
        (_set(["datePublished"], "May 2026"), "not a date"),
        (_set(["itemReviewed", "@type"], "CreativeWork"), "not a Claim"),
    ],
)
def test_the_validator_flags_what_google_would(change, found):
    doc = doc_for("wire", log=log_for("c01-launch-days", "2026-01-01"))
    change(doc["@graph"][0])
    assert any(found in p for p in problems(doc, anchors_of("wire"), PAGE)), problems(doc, anchors_of("wire"), PAGE)


def test_a_relative_url_fails_where_the_site_address_is_known():
    doc = doc_for("wire", PAGE)
    assert any("not absolute" in p for p in problems(doc, anchors_of("wire"), "https://example.org/" + PAGE))


# ---- embedding and publishing --------------------------------------------------------------------------------------


def test_script_cannot_be_closed_by_the_text():
    ledger = ledger_of("wire").assign(quote="a short </script> quote")
    doc = claimreview.document(ledger, ARTICLES, PAGE, log=EMPTY_LOG)
    tag = claimreview.script(doc)
    assert tag.startswith('<script type="application/ld+json">') and tag.count("</script>") == 1
    body = tag.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert json.loads(body) == doc


def test_published_document_reaches_the_render_step_not_the_disk():
    import nbformat

    from analysis.build import export

    doc = doc_for("wire")
    data, metadata = claimreview.Published(doc, "claims.jsonld")._repr_mimebundle_()
    assert data["text/html"].startswith(claimreview.script(doc))
    assert f"{len(doc['@graph'])} ClaimReview records" in data["text/html"]
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data", data=data, metadata=metadata)])
        ]
    )
    assert json.loads(export.published_files(nb)["claims.jsonld"]) == doc

    nb.cells[0].outputs[0].metadata = {claimreview.MIME: {"file": "../index.html"}}
    with pytest.raises(ValueError, match="plain name ending in .jsonld"):
        export.published_files(nb)
