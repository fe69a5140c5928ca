"""Synthetic curated tables for the tests: one factory per table, typed as the data layer types it.

A factory takes partial rows and fills the columns a row leaves out with plain defaults (ids from the date), so a
test names only what it is about: `factories.missiles([dict(date_kst="2019-05-04", missile_class="SRBM")])`.
Below them, the article's world: small tables on which every claim check gives its shipped verdict.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pandas as pd

from analysis import settings
from analysis.data import schema
from analysis.data.designations import designation


def frame(table: str, rows: list[dict], defaults: Callable[[dict], dict] | None = None) -> pd.DataFrame:
    """A synthetic curated table, typed as `load.load_all()` types it (through the data package): every column
    of the table, in its order and dtype; a column the rows leave out is empty unless `defaults(row)` fills it.
    Values are not validated."""
    spec = schema.tables(settings.DATAPACKAGE)[table]
    if defaults is not None:
        rows = [defaults(row) | row for row in rows]
    df = pd.DataFrame(rows, columns=spec.columns)
    for f in spec.fields:
        if f.type == "date":
            df[f.name] = pd.to_datetime(df[f.name]).astype(schema.DATE)
        else:
            df[f.name] = df[f.name].astype(f.dtype)
    return df


def missiles(rows: list[dict]) -> pd.DataFrame:
    """missile_tests; a row's ids number the missiles of its day in order (M20190504-01, M20190504-02, ...)."""
    per_day = Counter()
    out = []
    for row in rows:
        d = pd.Timestamp(row.get("date_kst", "2019-05-04"))
        per_day[d] += 1
        defaults = {
            "missile_id": f"M{d:%Y%m%d}-{per_day[d]:02d}",
            "launch_id": f"L{d:%Y-%m-%d}",
            "date_kst": d,
            "missile_name": "Scud-B",
            "missile_class": "SRBM",
            "cns_threshold": True,
            "confirmed": True,
            "source_ids": "src-a",
        }
        out.append(defaults | row)
        out[-1].setdefault("designation", designation(out[-1]["missile_name"]))
    return frame("missile_tests", out)


def salvo(date: str, n: int, **columns) -> list[dict]:
    """n missile rows fired on one day, alike but for their ids."""
    return [{"date_kst": date, **columns} for _ in range(n)]


def nuclear(rows: list[dict]) -> pd.DataFrame:
    """nuclear_tests; the id from the date."""

    def defaults(row: dict) -> dict:
        d = pd.Timestamp(row.get("date_kst", "2017-09-03"))
        return {
            "test_id": f"N{d:%Y-%m-%d}",
            "date_kst": d,
            "yield_kt_low": 1.0,
            "yield_kt_high": 2.0,
            "source_ids": "src-a",
        }

    return frame("nuclear_tests", rows, defaults)


def events(rows: list[dict]) -> pd.DataFrame:
    """diplomatic_events; an event_id is "<start date>-<title>", as in the curated table."""

    def defaults(row: dict) -> dict:
        event_id = row.get("event_id", "2018-06-12-summit")
        start = pd.Timestamp(row.get("start_date", event_id[:10]))
        return {
            "event_id": event_id,
            "start_date": start,
            "end_date": start,
            "kind": "summit",
            "parties": "US;DPRK",
            "location": "somewhere",
            "title": event_id[11:],
            "outcome": "",
            "trump_kim": False,
            "signed": False,
            "source_ids": "src-b",
        }

    return frame("diplomatic_events", rows, defaults)


def sanctions(rows: list[dict]) -> pd.DataFrame:
    """sanctions: Security Council resolutions, adopted unless a row says otherwise."""

    def defaults(row: dict) -> dict:
        kind = row.get("kind", "sanctions")
        return {
            "sanction_id": "S/RES/2270",
            "date": "2016-03-02",
            "action": "adopted",
            "kind": kind,
            "measures": f"{kind} text",
            "source_ids": "src-b",
        }

    return frame("sanctions", rows, defaults)


def economy(rows: list[dict]) -> pd.DataFrame:
    """economy: one estimate a row, GDP growth unless a row says otherwise."""
    defaults = {
        "year": 2019,
        "measure": "gdp_growth",
        "value": 0.0,
        "unit": "percent",
        "publisher": "Bank of Korea",
        "publication": "GDP estimates",
        "source_ids": "src-a",
    }
    return frame("economy", rows, lambda row: defaults)


def claims(rows: list[dict], checked: set[str] = frozenset()) -> pd.DataFrame:
    """claims: an article's claims; a claim is testable when `checked` holds its id (it has a root check)."""
    out = []
    for i, row in enumerate(rows, 1):
        claim_id = row.get("claim_id", f"c{i:02d}-claim")
        defaults = {
            "claim_id": claim_id,
            "article_id": "article-a",
            "paragraph": i,
            "quote": "quote",
            "claim": "Claim.",
            "testable": claim_id in checked,
        }
        out.append(defaults | row)
    return frame("claims", out)


def checks(rows: list[tuple[str, str, str]], says: str = "What it tests.") -> pd.DataFrame:
    """checks: (check_id, kind, params) rows; the claim is the id before any '.'."""
    return frame(
        "checks",
        [dict(check_id=c, claim_id=c.split(".")[0], kind=k, params=p, says=says) for c, k, p in rows],
    )


def articles(rows: list[dict]) -> pd.DataFrame:
    """articles: the checked articles; the first defaults to `article-a`, undated."""

    def defaults(row: dict) -> dict:
        return {
            "article_id": "article-a",
            "title": "A title",
            "publisher": "A publisher",
            "url": "https://news.example/a",
            "text_file": "article.txt",
        }

    return frame("articles", rows, defaults)


def sources(rows: list[dict]) -> pd.DataFrame:
    """sources: the publications rows cite."""

    def defaults(row: dict) -> dict:
        sid = row.get("source_id", "src-a")
        return {
            "source_id": sid,
            "publisher": f"Pub {sid}",
            "title": f"Title {sid}",
            "url": f"https://{sid}.example",
        }

    return frame("sources", rows, defaults)


# ---- the article's world -------------------------------------------------------------------------------------------

SING, HANOI, PANMUNJOM = "2018-06-12-singapore-summit", "2019-02-27-hanoi-summit", "2019-06-30-panmunjom-meeting"


def base_missiles() -> list[dict]:
    return (
        salvo("2016-03-10", 24)
        + salvo("2017-05-14", 18)
        + salvo("2017-07-04", 3, missile_name="Hwasong-14", missile_class="ICBM")
        + salvo("2017-11-29", 1, missile_name="Hwasong-15", missile_class="ICBM")
        + salvo("2019-05-04", 2, missile_name="KN-23")
    )


def base_events() -> list[dict]:
    return [
        dict(event_id="2017-08-08-fire-and-fury", kind="statement", trump_kim=True),
        dict(
            event_id=SING,
            kind="summit",
            outcome="The leaders signed a statement on complete denuclearisation.",
            trump_kim=True,
            signed=True,
            document="Singapore Joint Statement",
        ),
        dict(event_id=HANOI, kind="summit", outcome="Ended early; no deal.", trump_kim=True, end_date="2019-02-28"),
        dict(
            event_id=PANMUNJOM, kind="summit", outcome="Agreed to restart talks.", parties="US;DPRK;ROK", trump_kim=True
        ),
        dict(event_id="2019-10-05-stockholm-talks", kind="talks", outcome="Broke down."),
        dict(event_id="2025-10-24-trump-open-to-meeting", kind="intent_to_meet", trump_kim=True),
        dict(event_id="2026-01-01-later-statement", kind="statement", parties="DPRK"),
    ]


def base_nuclear() -> list[dict]:
    return [dict(date_kst="2016-09-09", mb=5.3), dict(date_kst="2017-09-03", mb=6.3)]


def base_sanctions() -> list[dict]:
    return [
        dict(sanction_id="S/RES/2270", date="2016-03-02"),
        dict(sanction_id="S/RES/2371", date="2017-08-05"),
        dict(sanction_id="S/RES/2375", date="2017-09-11"),
        dict(sanction_id="S/RES/2407", date="2018-03-21", kind="panel_renewal"),
    ]


def article_tables(
    missile_rows=None, nuclear_rows=None, event_rows=None, sanction_rows=None
) -> dict[str, pd.DataFrame]:
    """The tables the claim checks read, from the base rows unless a test passes its own."""
    return {
        "missile_tests": missiles(base_missiles() if missile_rows is None else missile_rows),
        "nuclear_tests": nuclear(base_nuclear() if nuclear_rows is None else nuclear_rows),
        "diplomatic_events": events(base_events() if event_rows is None else event_rows),
        "sanctions": sanctions(base_sanctions() if sanction_rows is None else sanction_rows),
        "sources": sources([dict(source_id="src-a"), dict(source_id="src-b")]),
    }


def two_claims(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with a ledger of one testable claim (missile testing resumed after Hanoi) and one that is not."""
    frames["checks"] = checks(
        [
            ("c14-resumed", "all", "parts=c14-resumed.paused,c14-resumed.next"),
            ("c14-resumed.paused", "gap", f"table=missile_tests; mode=since_last; at=event:{HANOI}; at_least=180"),
            ("c14-resumed.next", "gap", f"table=missile_tests; mode=next; at=event_end:{HANOI}; at_most=365"),
        ]
    )
    frames["claims"] = claims(
        [
            dict(claim_id="c14-resumed", paragraph=6, quote="resumed testing", claim="Testing resumed."),
            dict(claim_id="c17-legacy", paragraph=9, quote="legacy", claim="Legacy.", reason="Motives."),
        ],
        checked={"c14-resumed"},
    )
    frames["articles"] = articles([{}])
    return frames
