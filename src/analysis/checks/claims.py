"""The article's factual claims, each checked against the curated tables.

`data/curated/claims.csv` is the ledger: every claim, testable or not, and the `check_*`
function that tests it. Each check takes the validated frames and the inclusion setting
(`cns_threshold_only`: CNS-criterion missiles only, or every launch including cruise missiles)
and returns a `Verdict` whose decision rule is stated in the check's docstring. Nothing is
typed in: the figures, the verdict and the sentence explaining it all come from the tables.
Dates are Korean (KST) calendar dates, as in `analysis.measures.counts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from analysis import fmt
from analysis.measures import economy as econ
from analysis.measures.counts import per_period, select_missiles
from analysis.measures.launches import launches_by_day

SUPPORTED, CONTRADICTED, MIXED, NOT_TESTABLE = "supported", "contradicted", "mixed", "not testable with these data"
VERDICTS = (SUPPORTED, CONTRADICTED, MIXED, NOT_TESTABLE)

# The events the article names; the claims are about these, so they are looked up by id.
SINGAPORE = "2018-06-12-singapore-summit"
HANOI = "2019-02-27-hanoi-summit"
FIRE_AND_FURY = "2017-08-08-fire-and-fury"
TRUMP_FIRST_YEAR = 2017  # "After Donald Trump took office in 2017"
SUMMIT_YEAR = 2018  # "both leaders decided in 2018" to meet in Singapore
# The 2016-2017 resolutions that imposed sectoral sanctions (coal, iron, textiles, seafood, labour, oil caps).
SECTORAL = ("S/RES/2270", "S/RES/2321", "S/RES/2371", "S/RES/2375", "S/RES/2397")
BORDER_CLOSURE = "2020-01-22-dprk-border-closure"
FREIGHT_REOPENING = "2022-01-16-dandong-freight-trains-resume"
BASELINE_YEARS = 3  # years before the first sectoral resolution that the sanctions years are compared with
PRE_CLOSURE_YEARS = 2  # years before the border closure (after the sanctions took full effect) for the pandemic check
TRADE_FALL_PCT = 10  # a smaller fall in mean trade is within the estimates' uncertainty

NEGOTIATING = ("summit", "meeting", "talks", "agreement")
YEAR = pd.Timedelta(days=365)
DAY = pd.Timedelta(days=1)
PAUSE_DAYS = 180  # a gap this long before Hanoi makes the next launch a resumption, not a continuation
CONTEXT_DAYS = 30  # launches within this many days of a statement are shown beside it
GENERIC_NAME = re.compile(r"^(unknown|unidentified)", re.IGNORECASE)
SIGNED = re.compile(r"\bsigned\b", re.IGNORECASE)
DENUCLEAR = re.compile(r"denuclear", re.IGNORECASE)


@dataclass
class Verdict:
    claim_id: str
    verdict: str
    figures: dict = field(default_factory=dict)
    rationale: str = ""
    evidence: list[str] = field(default_factory=list)
    evidence_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    period: tuple[pd.Timestamp, pd.Timestamp] | None = None  # the span the check looked at, for its chart

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"{self.claim_id}: unknown verdict {self.verdict!r}")
        self.evidence = list(dict.fromkeys(self.evidence))


def _event(frames: dict, event_id: str) -> pd.Series | None:
    ev = frames["diplomatic_events"]
    rows = ev[ev["event_id"] == event_id]
    return rows.iloc[0] if len(rows) else None


def _missing(claim_id: str, event_id: str) -> Verdict:
    return Verdict(
        claim_id,
        NOT_TESTABLE,
        {},
        f"The diplomatic_events table has no row {event_id!r}, the event this claim is about.",
    )


def _us_dprk(events: pd.DataFrame) -> pd.Series:
    """Events with both the US and the DPRK among the parties."""
    return events["parties"].str.split(";").map(lambda p: {"US", "DPRK"} <= set(p)).astype(bool)


def _trump_kim_summits(frames: dict) -> pd.DataFrame:
    ev = frames["diplomatic_events"]
    return ev[(ev["kind"] == "summit") & ev["trump_kim"].fillna(False).astype(bool)].sort_values("start_date")


def _agreements(frames: dict, start: pd.Timestamp, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """US-DPRK agreements dated from start to end (inclusive; open-ended without end)."""
    ev = frames["diplomatic_events"]
    keep = (ev["kind"] == "agreement") & _us_dprk(ev) & (ev["start_date"] >= start)
    if end is not None:
        keep &= ev["start_date"] <= end
    return ev[keep]


def _deal(frames: dict, summit: pd.Series) -> list[str]:
    """Ids recording a signed outcome of a summit: a US-DPRK agreement dated during it (or the day after),
    or the summit itself when its outcome says something was signed. Empty when it produced nothing signed."""
    ids = list(_agreements(frames, summit["start_date"], summit["end_date"] + DAY)["event_id"])
    if SIGNED.search(summit["outcome"]):
        ids.append(summit["event_id"])
    return ids


def _relief(frames: dict, after: pd.Timestamp) -> pd.DataFrame:
    """Adopted UN resolutions after a date that could ease sanctions: the table's `kind` marks tightening
    ('sanctions') and panel renewals, so only an adopted resolution of kind 'other' can be relief."""
    s = frames["sanctions"]
    return s[(s["action"] == "adopted") & (s["kind"] == "other") & (s["date"] > after)]


def _launches(missiles: pd.DataFrame) -> pd.DataFrame:
    """One row per KST launch day: its launch ids (';'-separated), date, missiles, names, whether any was confirmed."""
    days = launches_by_day(missiles)
    return pd.DataFrame(
        {
            "launch_id": days["launch_ids"].map(";".join),
            "date_kst": days["date_kst"],
            "missiles": days["missiles"],
            "names": days["names"].map(
                lambda names: ", ".join(dict.fromkeys(GENERIC_NAME.sub("type not identified", n) for n in names))
            ),
            "confirmed": days["confirmed"],
        }
    )


def _launch_ids(launches: pd.DataFrame) -> list[str]:
    """The evidence ids of launch days (a KST day can hold two UTC launch ids)."""
    return [i for ids in launches["launch_id"] for i in ids.split(";")]


def _events_table(events: pd.DataFrame) -> pd.DataFrame:
    return events[["event_id", "start_date", "kind", "title", "outcome"]].reset_index(drop=True)


def selection_label(cns_threshold_only: bool) -> str:
    return fmt.COUNTED[cns_threshold_only]


def _num(x):
    """A plain Python number, an int when it is whole (for figures and f-strings)."""
    x = float(x)
    return int(x) if x.is_integer() else x


# ---- the checks --------------------------------------------------------------------------------------------


def check_intent_to_meet(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """Trump said he intends to meet Kim (again).

    Rule: supported if the diplomacy table holds at least one Trump-Kim statement of intent to meet dated
    after the last Trump-Kim summit; contradicted otherwise. The inclusion setting does not apply.
    """
    claim = "c01-intent-to-meet"
    ev = frames["diplomatic_events"]
    summits = _trump_kim_summits(frames)
    intents = ev[(ev["kind"] == "intent_to_meet") & ev["trump_kim"].fillna(False).astype(bool)].sort_values(
        "start_date"
    )
    last_summit = summits["start_date"].max() if len(summits) else pd.Timestamp.min
    recent = intents[intents["start_date"] > last_summit]
    figures = {"intent statements (all)": len(intents), "intent statements after the last summit": len(recent)}
    if len(summits):
        figures["last Trump-Kim summit"] = fmt.day(last_summit)
    if recent.empty:
        return Verdict(
            claim,
            CONTRADICTED,
            figures,
            f"The table records {fmt.plural(len(intents), 'statement', zero='no')} of Trump's wish to meet Kim, none of them "
            "after their last summit.",
            list(intents["event_id"]),
            _events_table(intents),
        )
    latest = recent.iloc[-1]
    figures |= {
        "latest statement": fmt.day(latest["start_date"]),
        "latest statement made at": latest["location"],
        "days from last summit to latest statement": (latest["start_date"] - last_summit).days,
    }
    rationale = (
        f"After their last summit ({figures['last Trump-Kim summit']}) Trump said on {fmt.plural(len(recent), 'occasion', zero='no')} "
        f"that he wanted to meet Kim again; the latest, on {figures['latest statement']} ({latest['location']}), "
        f"came {figures['days from last summit to latest statement']} days after that summit."
    )
    return Verdict(claim, SUPPORTED, figures, rationale, list(recent["event_id"]), _events_table(recent))


INTENSITY = {
    "missiles": "missiles launched",
    "launch_days": "launch days",
    "icbm_flights": "ICBM flights",
    "max_nuclear_mb": "largest nuclear test (mb)",
    "sanctions_resolutions": "UN sanctions resolutions",
}


def yearly_intensity(
    frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True, last_year: int | None = None
) -> pd.DataFrame:
    """Per year: the INTENSITY measures and `composite`, the mean of each measure's share of its highest year.

    Years run from the first year any measure is non-zero to `last_year` (default: the last year with data).
    """
    missiles = select_missiles(frames["missile_tests"], cns_threshold_only)
    nuclear, sanctions = frames["nuclear_tests"], frames["sanctions"]
    adopted = sanctions[(sanctions["action"] == "adopted") & (sanctions["kind"] == "sanctions")]
    counts = per_period(missiles)
    counts.index = counts.index.year
    icbm = missiles[missiles["missile_class"] == "ICBM"]
    table = pd.DataFrame(
        {
            "missiles": counts["missiles"],
            "launch_days": counts["launch_days"],
            "icbm_flights": icbm.groupby(icbm["date_kst"].dt.year).size(),
            "max_nuclear_mb": nuclear.groupby(nuclear["date_kst"].dt.year)["mb"].max(),
            "sanctions_resolutions": adopted.groupby(adopted["date"].dt.year).size(),
        }
    )
    last_year = last_year or int(table.index.max())
    table = table.reindex(range(int(table.index.min()), last_year + 1)).fillna(0).rename_axis("year")
    table = table.astype({m: "int64" for m in INTENSITY if m != "max_nuclear_mb"})
    table = table[table.sum(axis=1) > 0]
    top = table.max().where(lambda m: m > 0)
    return table.assign(composite=(table / top).fillna(0).mean(axis=1))


def check_all_time_high(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """In 2017 tensions reached an all-time high because of North Korea's testing.

    Tension itself is not in the data; its drivers are. Five yearly measures are compared over every
    year up to 2017: missiles launched, launch days, ICBM flights, the largest nuclear test's
    magnitude (mb), and UN sanctions resolutions adopted (the international response). Each is scaled
    to its highest year and the five shares averaged into a composite.
    Rule: supported if 2017 has the highest composite AND leads (or ties for the lead) on a majority of
    the measures; mixed if only one of the two holds; contradicted if neither.
    """
    claim = "c04-all-time-high"
    year = TRUMP_FIRST_YEAR
    table = yearly_intensity(frames, cns_threshold_only, last_year=year)
    if year not in table.index:
        return Verdict(claim, CONTRADICTED, {}, f"No testing or sanctions at all are recorded in {year}.")
    row = table.loc[year]
    leads = [m for m in INTENSITY if row[m] > 0 and row[m] == table[m].max()]
    others = table.drop(index=year)
    runner = others["composite"].idxmax() if len(others) else None
    top = row["composite"] >= table["composite"].max()
    majority = len(leads) > len(INTENSITY) / 2
    verdict = SUPPORTED if top and majority else MIXED if top or leads else CONTRADICTED

    figures = {f"{label} in {year}": _num(row[m]) for m, label in INTENSITY.items()}
    figures[f"composite score {year}"] = round(float(row["composite"]), 2)
    if runner is not None:
        figures[f"next-highest composite ({runner})"] = round(float(others.loc[runner, "composite"]), 2)
    behind = []
    for m in INTENSITY:
        if m not in leads:
            best = others[m].idxmax()
            figures[f"{INTENSITY[m]}: highest year"] = f"{best} ({_num(others.loc[best, m])})"
            behind.append(f"{INTENSITY[m]} ({best}: {_num(others.loc[best, m])} against {_num(row[m])})")
    later = yearly_intensity(frames, cns_threshold_only)
    later = later[later.index > year]
    tied = {m: [y for y in others.index if others.loc[y, m] == row[m]] for m in leads}
    led = [INTENSITY[m] + (f" (tied with {', '.join(map(str, tied[m]))})" if tied[m] else "") for m in leads]
    rationale = (
        f"Counting {selection_label(cns_threshold_only)}, {year} led or shared the lead on {len(leads)} of the "
        f"{len(INTENSITY)} measures ({', '.join(led) or 'none'}) and its composite score was "
        f"{'the highest' if top else 'not the highest'} of all years up to then ({row['composite']:.2f}"
        + (f"; next {runner} with {others.loc[runner, 'composite']:.2f}" if runner is not None else "")
        + ")."
        + (f" An earlier year was higher on {'; '.join(behind)}." if behind else "")
        + (
            f" Later years went further: {later['missiles'].idxmax()} saw {_num(later['missiles'].max())} missiles."
            if len(later) and later["missiles"].max() > row["missiles"]
            else ""
        )
    )
    missiles = select_missiles(frames["missile_tests"], cns_threshold_only, start=f"{year}-01-01", end=f"{year}-12-31")
    nuclear = frames["nuclear_tests"]
    sanctions = frames["sanctions"]
    evidence = (
        _launch_ids(_launches(missiles))
        + list(nuclear.loc[nuclear["date_kst"].dt.year == year, "test_id"])
        + list(
            sanctions.loc[
                (sanctions["date"].dt.year == year)
                & (sanctions["kind"] == "sanctions")
                & (sanctions["action"] == "adopted"),
                "sanction_id",
            ]
        )
    )
    return Verdict(claim, verdict, figures, rationale, evidence, table.reset_index())


def check_fire_and_fury(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """Trump used 'fire and fury' rhetoric during 2017.

    Rule: supported if the 'fire and fury' statement is recorded, dated in 2017, with the US among its
    parties; contradicted if it is dated otherwise; not testable if the table lacks it. Launches in the
    30 days around it (per the inclusion setting) are context, not part of the rule.
    """
    claim = "c05-fire-and-fury"
    row = _event(frames, FIRE_AND_FURY)
    if row is None:
        return _missing(claim, FIRE_AND_FURY)
    date = row["start_date"]
    us = "US" in row["parties"].split(";")
    window = select_missiles(
        frames["missile_tests"],
        cns_threshold_only,
        start=date - pd.Timedelta(days=CONTEXT_DAYS),
        end=date + pd.Timedelta(days=CONTEXT_DAYS),
    )
    launches = _launches(window)
    figures = {
        "statement date": fmt.day(date),
        "US a party": us,
        f"launch days within {CONTEXT_DAYS} days": len(launches),
        f"missiles within {CONTEXT_DAYS} days": int(launches["missiles"].sum()),
    }
    ok = date.year == TRUMP_FIRST_YEAR and us
    rationale = (
        f"The statement \u201c{row['title']}\u201d is dated {figures['statement date']}, "
        f"{'in' if date.year == TRUMP_FIRST_YEAR else 'outside'} {TRUMP_FIRST_YEAR}. Within {CONTEXT_DAYS} days either side "
        f"North Korea launched {fmt.plural(figures[f'missiles within {CONTEXT_DAYS} days'], 'missile', zero='no')} "
        f"({selection_label(cns_threshold_only)}) on {fmt.plural(len(launches), 'day', zero='no')}."
    )
    table = pd.concat(
        [
            _events_table(row.to_frame().T),
            launches.rename(columns={"launch_id": "event_id", "date_kst": "start_date", "names": "title"}).assign(
                kind="launch"
            )[["event_id", "start_date", "kind", "title"]],
        ],
        ignore_index=True,
    )
    return Verdict(
        claim, SUPPORTED if ok else CONTRADICTED, figures, rationale, [row["event_id"], *_launch_ids(launches)], table
    )


def check_singapore_summit(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """In 2018 Trump and Kim held an historic summit in Singapore.

    'Historic' is tested as 'first': no earlier summit between the US and DPRK leaders.
    Rule: supported if the Singapore summit is recorded as a summit in 2018 with no earlier US-DPRK
    summit; mixed if it is a 2018 summit but not the first; contradicted if it is not a 2018 summit;
    not testable if the table lacks it. The inclusion setting does not apply.
    """
    claim = "c07-singapore-summit"
    row = _event(frames, SINGAPORE)
    if row is None:
        return _missing(claim, SINGAPORE)
    ev = frames["diplomatic_events"]
    earlier = ev[(ev["kind"] == "summit") & _us_dprk(ev) & (ev["start_date"] < row["start_date"])]
    in_year = row["start_date"].year == SUMMIT_YEAR and row["kind"] == "summit"
    verdict = (SUPPORTED if earlier.empty else MIXED) if in_year else CONTRADICTED
    figures = {
        "summit date": fmt.day(row["start_date"]),
        "location": row["location"],
        "kind": row["kind"],
        "earlier US-DPRK summits": len(earlier),
    }
    rationale = (
        f"The table records a {row['kind']} in {row['location']} on {figures['summit date']}; "
        f"it lists {fmt.plural(len(earlier), 'earlier summit', zero='no')} between the two countries' leaders"
        + (f" ({'; '.join(earlier['title'])})." if len(earlier) else ", so this was the first.")
    )
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        [row["event_id"], *earlier["event_id"]],
        _events_table(pd.concat([earlier, row.to_frame().T])),
    )


def check_joint_statement(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """At their first meeting Trump and Kim signed a joint statement committing to denuclearisation.

    The first meeting is the earliest Trump-Kim summit. Signed: a US-DPRK agreement dated during it
    (or the next day), or the summit's outcome says something was signed. Denuclearisation: the word
    appears in that outcome or agreement.
    Rule: supported if signed and denuclearisation is mentioned; mixed if signed without it;
    contradicted if nothing signed; not testable with no Trump-Kim summit. The inclusion setting does not apply.
    """
    claim = "c08-joint-statement"
    summits = _trump_kim_summits(frames)
    if summits.empty:
        return Verdict(claim, NOT_TESTABLE, {}, "The table records no Trump-Kim summit.")
    first = summits.iloc[0]
    ids = _deal(frames, first)
    ev = frames["diplomatic_events"]
    records = ev[ev["event_id"].isin(ids)]
    denuclear = bool(records["outcome"].str.contains(DENUCLEAR).any() | records["title"].str.contains(DENUCLEAR).any())
    verdict = (SUPPORTED if denuclear else MIXED) if ids else CONTRADICTED
    figures = {
        "first Trump-Kim summit": first["title"],
        "date": fmt.day(first["start_date"]),
        "signed records": len(ids),
        "mentions denuclearisation": denuclear,
    }
    rationale = f"The first Trump-Kim summit in the table is \u201c{first['title']}\u201d on {figures['date']}. " + (
        f"Its record shows a signed outcome ({fmt.plural(len(ids), 'record', zero='no')}) that "
        f"{'includes' if denuclear else 'does not mention'} denuclearisation."
        if ids
        else "Nothing signed is recorded for it."
    )
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        [first["event_id"], *ids],
        _events_table(ev[ev["event_id"].isin([first["event_id"], *ids])]),
    )


def check_little_progress(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """Little tangible progress followed the Singapore summit.

    Progress is tested as what a deal would leave in the tables: a further US-DPRK agreement after
    Singapore, or a UN resolution easing sanctions. Rule: supported if neither happened; contradicted if
    both did; mixed if one did. Missile launches (per the inclusion setting) and nuclear tests after
    Singapore are reported beside the rule, including the nuclear-test pause that held.
    """
    claim = "c09-little-progress"
    row = _event(frames, SINGAPORE)
    if row is None:
        return _missing(claim, SINGAPORE)
    after = row["end_date"]
    agreements = _agreements(frames, after + DAY)
    relief = _relief(frames, after)
    missiles = select_missiles(frames["missile_tests"], cns_threshold_only, start=after + DAY)
    nuclear = frames["nuclear_tests"]
    nuclear_after = nuclear[nuclear["date_kst"] > after]
    found = int(len(agreements) > 0) + int(len(relief) > 0)
    verdict = (SUPPORTED, MIXED, CONTRADICTED)[found]
    figures = {
        "US-DPRK agreements after Singapore": len(agreements),
        "UN sanctions-relief resolutions after Singapore": len(relief),
        "missiles launched after Singapore": len(missiles),
        "nuclear tests after Singapore": len(nuclear_after),
    }
    last_nuclear = nuclear["date_kst"].max()
    rationale = (
        f"Since {fmt.day(after)} the table records {fmt.plural(len(agreements), 'further US-DPRK agreement', zero='no')} and "
        f"{fmt.plural(len(relief), 'UN resolution', zero='no')} that could ease sanctions. North Korea has since launched "
        f"{fmt.plural(len(missiles), 'missile', zero='no')} ({selection_label(cns_threshold_only)})"
        + (
            f"; its last nuclear test was on {fmt.day(last_nuclear)}, so the pause in nuclear testing has held."
            if nuclear_after.empty and pd.notna(last_nuclear)
            else f" and conducted {fmt.plural(len(nuclear_after), 'nuclear test', zero='no')}."
        )
    )
    relief_rows = relief.rename(columns={"sanction_id": "event_id", "date": "start_date", "measures": "title"})
    table = pd.concat(
        [
            _events_table(agreements),
            relief_rows.assign(kind="UN resolution")[["event_id", "start_date", "kind", "title"]],
        ],
        ignore_index=True,
    )
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        [row["event_id"], *agreements["event_id"], *relief["sanction_id"], *nuclear_after["test_id"]],
        table,
        period=(row["start_date"], frames["missile_tests"]["date_kst"].max()),
    )


def check_continued_development(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """North Korea continued to develop its weapons programmes after Singapore.

    Development is seen here only through flight and nuclear tests. Two windows: from Singapore to
    the eve of Hanoi, and the year after Hanoi. A new type is a missile name not flown before the
    window (generic 'Unknown'/'Unidentified' names excluded).
    Rule: supported if there was any launch (per the inclusion setting) or nuclear test between
    Singapore and Hanoi; mixed if that window was quiet but new types flew in the year after Hanoi;
    contradicted if neither.
    """
    claim = "c10-continued-weapons"
    sing, hanoi = _event(frames, SINGAPORE), _event(frames, HANOI)
    if sing is None or hanoi is None:
        return _missing(claim, SINGAPORE if sing is None else HANOI)
    all_missiles = select_missiles(frames["missile_tests"], cns_threshold_only)
    nuclear = frames["nuclear_tests"]

    def window(start, end):
        flown = all_missiles[all_missiles["date_kst"] < start]["missile_name"]
        inside = all_missiles[all_missiles["date_kst"].between(start, end)]
        named = inside[~inside["missile_name"].str.match(GENERIC_NAME)]
        new = named[~named["missile_name"].isin(flown)]
        return inside, list(dict.fromkeys(new["missile_name"])), nuclear[nuclear["date_kst"].between(start, end)]

    a_start, a_end = sing["end_date"] + DAY, hanoi["start_date"] - DAY
    b_start, b_end = hanoi["end_date"] + DAY, hanoi["end_date"] + YEAR
    a, a_new, a_nuc = window(a_start, a_end)
    b, b_new, b_nuc = window(b_start, b_end)
    verdict = SUPPORTED if len(a) or len(a_nuc) else MIXED if b_new else CONTRADICTED
    figures = {
        "missiles, Singapore to Hanoi": len(a),
        "nuclear tests, Singapore to Hanoi": len(a_nuc),
        "days from Singapore to Hanoi": (hanoi["start_date"] - sing["end_date"]).days,
        "missiles, year after Hanoi": len(b),
        "new types, year after Hanoi": len(b_new),
        "new type names": ", ".join(b_new) or "none",
    }
    rationale = (
        f"Between Singapore and Hanoi ({figures['days from Singapore to Hanoi']} days) the table records "
        f"{fmt.plural(len(a), 'missile', zero='no')} ({selection_label(cns_threshold_only)}) and {fmt.plural(len(a_nuc), 'nuclear test', zero='no')}"
        + (f", {len(a_new)} of a new type" if a_new else "")
        + f". In the year after Hanoi North Korea launched {fmt.plural(len(b), 'missile', zero='no')}, "
        f"{fmt.plural(len(b_new), 'new type', zero='no')} among them ({figures['new type names']}). "
        "Tests are the only visible sign of development here; work on the ground is not in these data."
    )
    launches = _launches(pd.concat([a, b]))
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        [sing["event_id"], hanoi["event_id"], *_launch_ids(launches), *a_nuc["test_id"], *b_nuc["test_id"]],
        launches,
        period=(sing["start_date"], b_end),
    )


def check_hanoi_no_deal(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """Hanoi (and Trump's other summits with Kim after Singapore) produced no sanctions-for-denuclearisation deal.

    Signed: a US-DPRK agreement dated during the summit (or the next day), or an outcome saying
    something was signed. Relief: an adopted UN resolution other than a sanctions resolution or a
    Panel of Experts renewal.
    Rule: supported if nothing signed is recorded for Hanoi and no UN resolution eased sanctions
    afterwards; contradicted if both a signed deal and relief are recorded; mixed if one is.
    Other post-Singapore summits are reported beside the rule. The inclusion setting does not apply.
    """
    claim = "c12-hanoi-no-deal"
    hanoi, sing = _event(frames, HANOI), _event(frames, SINGAPORE)
    if hanoi is None:
        return _missing(claim, HANOI)
    signed = _deal(frames, hanoi)
    relief = _relief(frames, hanoi["end_date"])
    later = _trump_kim_summits(frames)
    if sing is not None:
        later = later[later["start_date"] > sing["end_date"]]
    later_deals = {r.event_id: bool(_deal(frames, r._asdict())) for r in later.itertuples()}
    found = int(bool(signed)) + int(len(relief) > 0)
    figures = {
        "signed records at Hanoi": len(signed),
        "UN sanctions-relief resolutions since Hanoi": len(relief),
        "Trump-Kim summits after Singapore": len(later),
        "of which ended with something signed": sum(later_deals.values()),
    }
    rationale = (
        f"For the Hanoi summit ({fmt.day(hanoi['start_date'])}–{fmt.day(hanoi['end_date'])}) the table records "
        f"{fmt.plural(len(signed), 'signed outcome', zero='no')}; its outcome reads: \u201c{hanoi['outcome']}\u201d "
        f"Since then {fmt.plural(len(relief), 'UN resolution', zero='no')} could have eased sanctions. "
        f"Of the {fmt.plural(len(later), 'Trump-Kim summit', zero='no')} after Singapore, "
        f"{figures['of which ended with something signed']} ended with something signed."
    )
    return Verdict(
        claim,
        (SUPPORTED, MIXED, CONTRADICTED)[found],
        figures,
        rationale,
        [*later["event_id"], *signed, *relief["sanction_id"]],
        _events_table(later),
    )


def check_talks_broke_down(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """US-DPRK talks broke down after Hanoi.

    Negotiating events are US-DPRK summits, meetings, talks and agreements. A breakdown is a gap of at
    least a year after one of them (to the next, or to the last date in the table).
    Rule: supported if such a gap begins within a year of Hanoi's end; mixed if the first such gap begins
    later; contradicted if none. The inclusion setting does not apply.
    """
    claim = "c13-talks-broke-down"
    hanoi = _event(frames, HANOI)
    if hanoi is None:
        return _missing(claim, HANOI)
    ev = frames["diplomatic_events"]
    neg = ev[ev["kind"].isin(NEGOTIATING) & _us_dprk(ev) & (ev["start_date"] >= hanoi["start_date"])].sort_values(
        "start_date"
    )
    data_end = ev["end_date"].max()
    following = neg["start_date"].shift(-1).fillna(data_end)
    gaps = (following - neg["end_date"]).dt.days
    breaks = neg[gaps >= YEAR.days]
    figures = {"negotiating events from Hanoi on": len(neg), "table ends": fmt.day(data_end)}
    if breaks.empty:
        return Verdict(
            claim,
            CONTRADICTED,
            figures,
            f"From Hanoi to {fmt.day(data_end)} the {fmt.plural(len(neg), 'negotiating event', zero='no')} never left a gap of a year.",
            list(neg["event_id"]),
            _events_table(neg),
        )
    last = breaks.iloc[0]
    gap = int(gaps[last.name])
    figures |= {
        "last round before the break": last["title"],
        "its date": fmt.day(last["end_date"]),
        "days from Hanoi to the break": (last["end_date"] - hanoi["end_date"]).days,
        "days without negotiations": gap,
    }
    verdict = SUPPORTED if last["end_date"] - hanoi["end_date"] <= YEAR else MIXED
    upto = "the end of the table" if following[last.name] == data_end else fmt.day(following[last.name])
    rationale = (
        f"From Hanoi on, the table records {fmt.plural(len(neg), 'US-DPRK negotiating event', zero='no')}. After \u201c{last['title']}\u201d "
        f"on {figures['its date']}, {figures['days from Hanoi to the break']} days after Hanoi, came {gap} days "
        f"without another, up to {upto}. Its outcome reads: \u201c{last['outcome']}\u201d"
    )
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        list(neg["event_id"]),
        _events_table(neg),
        period=(hanoi["start_date"], data_end),
    )


def check_resumed_testing(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """North Korea resumed missile testing after Hanoi.

    Rule: contradicted if no missile (per the inclusion setting) was launched in the year after Hanoi;
    supported if there was a launch then, at least one of them confirmed, after a pause of at least
    180 days before Hanoi; mixed otherwise (testing had not paused, or only unconfirmed launches).
    """
    claim = "c14-resumed-testing"
    hanoi = _event(frames, HANOI)
    if hanoi is None:
        return _missing(claim, HANOI)
    missiles = frames["missile_tests"]
    before = select_missiles(missiles, cns_threshold_only, end=hanoi["start_date"] - DAY)
    after = _launches(
        select_missiles(missiles, cns_threshold_only, start=hanoi["end_date"] + DAY, end=hanoi["end_date"] + YEAR)
    )
    last_before = _launches(before).iloc[-1] if len(before) else None
    pause = (hanoi["start_date"] - last_before["date_kst"]).days if last_before is not None else None
    figures = {
        "launch days in the year after Hanoi": len(after),
        "missiles in the year after Hanoi": int(after["missiles"].sum()),
    }
    if last_before is not None:
        figures |= {
            "last launch before Hanoi": fmt.day(last_before["date_kst"]),
            "days without launches before Hanoi": pause,
        }
    evidence = [hanoi["event_id"]] + (last_before["launch_id"].split(";") if last_before is not None else [])
    if after.empty:
        return Verdict(
            claim,
            CONTRADICTED,
            figures,
            f"No launch ({selection_label(cns_threshold_only)}) is recorded in the year after Hanoi.",
            evidence,
            after,
        )
    first = after.iloc[0]
    confirmed = after[after["confirmed"]]
    figures |= {
        "first launch after Hanoi": fmt.day(first["date_kst"]),
        "first launch confirmed": bool(first["confirmed"]),
        "days from Hanoi to first launch": (first["date_kst"] - hanoi["end_date"]).days,
    }
    if len(confirmed):
        figures["first confirmed launch after Hanoi"] = fmt.day(confirmed.iloc[0]["date_kst"])
    paused = pause is None or pause >= PAUSE_DAYS
    verdict = SUPPORTED if paused and len(confirmed) else MIXED
    rationale = (
        f"Counting {selection_label(cns_threshold_only)}: "
        + (
            f"the last launch before Hanoi was on {figures['last launch before Hanoi']}, {pause} days before it. "
            if pause is not None
            else ""
        )
        + f"The first launch after Hanoi came on {figures['first launch after Hanoi']} "
        f"({figures['days from Hanoi to first launch']} days after it; {first['names']}"
        + ("" if first["confirmed"] else ", listed as unconfirmed")
        + ")"
        + (
            f"; the first confirmed launch was on {figures['first confirmed launch after Hanoi']}"
            if len(confirmed) and not first["confirmed"]
            else ""
        )
        + f". In the year after Hanoi there were {fmt.plural(len(after), 'launch day', zero='no')} with "
        f"{fmt.plural(figures['missiles in the year after Hanoi'], 'missile', zero='no')}."
    )
    table = pd.concat([_launches(before).tail(1), after], ignore_index=True)
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        evidence + _launch_ids(after),
        table,
        period=(table["date_kst"].min(), hanoi["end_date"] + YEAR),
    )


def check_sanctions_in_force(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """International sanctions weigh on North Korea (the part testable here: UN sanctions are in force).

    Rule: supported if at least one UN sanctions resolution was adopted and no resolution that could
    ease sanctions (an adopted resolution other than a sanctions resolution or a panel renewal) was
    adopted after the first; mixed if such a resolution exists;
    contradicted if no sanctions resolution was ever adopted. The inclusion setting does not apply.
    """
    claim = "c21-sanctions-in-force"
    s = frames["sanctions"].sort_values("date")
    adopted = s[(s["action"] == "adopted") & (s["kind"] == "sanctions")]
    if adopted.empty:
        return Verdict(
            claim, CONTRADICTED, {"UN sanctions resolutions adopted": 0}, "No UN sanctions resolution is recorded."
        )
    relief = _relief(frames, adopted["date"].min())
    vetoed = s[s["action"] == "vetoed"]
    panel = s[(s["kind"] == "panel_renewal") & (s["action"] == "adopted")]
    figures = {
        "UN sanctions resolutions adopted": len(adopted),
        "first": adopted.iloc[0]["sanction_id"],
        "latest": adopted.iloc[-1]["sanction_id"],
        "latest adopted on": fmt.day(adopted.iloc[-1]["date"]),
        "resolutions easing sanctions since": len(relief),
        "vetoed drafts": len(vetoed),
    }
    rationale = (
        f"The Security Council adopted {len(adopted)} sanctions resolutions from {fmt.day(adopted.iloc[0]['date'])} "
        f"({figures['first']}) to {figures['latest adopted on']} ({figures['latest']}); "
        f"{fmt.plural(len(relief), 'later resolution', zero='no')} could have eased them. "
        + (
            f"{fmt.plural(len(vetoed), 'draft', zero='no')} ({', '.join(vetoed['sanction_id'])}) were vetoed since, "
            if len(vetoed) > 1
            else f"One draft ({vetoed.iloc[0]['sanction_id']}) was vetoed since, "
            if len(vetoed)
            else ""
        )
        + (
            f"and the last Panel of Experts renewal was {panel.iloc[-1]['sanction_id']} on {fmt.day(panel.iloc[-1]['date'])}: "
            "monitoring weakened, but no measure was lifted."
            if len(panel)
            else ""
        )
        + " Whether the sanctions caused the hardship the article describes is outside these data."
    )
    rows = pd.concat([adopted, relief, vetoed])
    table = rows[["sanction_id", "date", "action", "kind", "measures"]].reset_index(drop=True)
    return Verdict(claim, MIXED if len(relief) else SUPPORTED, figures, rationale, list(rows["sanction_id"]), table)


def _economy_rows(frames: dict, *windows: econ.Window) -> pd.DataFrame:
    """The economy.csv rows behind the windows, for the verdict's evidence table."""
    e = frames["economy"]
    keep = pd.Series(False, index=e.index)
    for w in windows:
        keep |= (e["measure"] == w.measure) & e["year"].between(w.first, w.last)
    return e[keep][["year", "measure", "value", "unit", "publisher", "source_ids"]].reset_index(drop=True)


def _not_testable_economy(claim: str, windows: tuple[econ.Window, ...]) -> Verdict | None:
    gaps = econ.missing_figures(*windows)
    if gaps:
        return Verdict(claim, NOT_TESTABLE, {}, f"The economy table lacks figures this check needs: {', '.join(gaps)}.")
    return None


def sanctions_years(frames: dict) -> tuple[pd.DataFrame, tuple[tuple[int, int], tuple[int, int]] | None]:
    """The adopted sectoral resolutions, and the (first, last) years before them and while they took effect
    (None without them), as `check_sanctions_economy` states them."""
    s = frames["sanctions"]
    sectoral = s[s["sanction_id"].isin(SECTORAL) & (s["action"] == "adopted")].sort_values("date")
    if sectoral.empty:
        return sectoral, None
    first, last = int(sectoral["date"].dt.year.min()), int(sectoral["date"].dt.year.max())
    closure = _event(frames, BORDER_CLOSURE)
    end = int(closure["start_date"].year) - 1 if closure is not None else last + 2
    return sectoral, ((first - BASELINE_YEARS, first - 1), (first + 1, end))


def closure_years(frames: dict) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The (first, last) years before the border closure and while it was shut, as `check_pandemic_economy`
    states them; None without the closure event."""
    closure, reopening = _event(frames, BORDER_CLOSURE), _event(frames, FREIGHT_REOPENING)
    if closure is None:
        return None
    year = int(closure["start_date"].year)
    end = max(year, int(reopening["start_date"].year) - 1) if reopening is not None else year
    return (year - PRE_CLOSURE_YEARS, year - 1), (year, end)


def check_sanctions_economy(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """North Korea's output and trade fell as the 2016-2017 sectoral UN sanctions took effect.

    The sectoral resolutions are 2270, 2321, 2371, 2375 and 2397 (coal, iron, textiles, seafood, overseas
    labour, oil caps). The years they took effect run from the year after the first was adopted to the year
    before the border closure of 2020 (to leave the pandemic out; two years after the last one if the closure
    is not recorded). They are compared with the three years before the first was adopted; the year of the
    first is left out as a transition. Output fell if mean real GDP growth (Bank of Korea) in the sanctions
    years was negative and below the mean of the years before; trade fell if mean total trade (KOTRA) in the
    sanctions years was at least 10% below the mean of the years before.
    Rule: supported if both fell; mixed if one did; contradicted if neither; not testable if the sectoral
    resolutions or a year's figure are missing. The timing is tested, not the cause. The inclusion setting
    does not apply.
    """
    claim = "c21-sanctions-economy"
    sectoral, years = sanctions_years(frames)
    if years is None:
        return Verdict(claim, NOT_TESTABLE, {}, "The sanctions table has none of the 2016-2017 sectoral resolutions.")
    (b0, b1), (a0, end) = years
    first, last = int(sectoral["date"].dt.year.min()), int(sectoral["date"].dt.year.max())
    closure = _event(frames, BORDER_CLOSURE)
    e = frames["economy"]
    growth = (econ.window(e, "gdp_growth", b0, b1), econ.window(e, "gdp_growth", a0, end))
    trade = (econ.window(e, "trade_total", b0, b1), econ.window(e, "trade_total", a0, end))
    if (missing := _not_testable_economy(claim, growth + trade)) is not None:
        return missing
    g_before, g_after = growth[0].mean, growth[1].mean
    t_before, t_after = trade[0].mean, trade[1].mean
    t_change = econ.change_pct(t_before, t_after)
    output_fell = g_after < 0 and g_after < g_before
    trade_fell = t_change <= -TRADE_FALL_PCT
    before, after = growth[0].label, growth[1].label
    figures = {
        "sectoral sanctions resolutions": f"{len(sectoral)} ({econ.span(first, last)})",
        "years compared": f"{before} (before) with {after} (sanctions in effect)",
        f"mean real GDP growth {before} (%)": round(g_before, 2),
        f"mean real GDP growth {after} (%)": round(g_after, 2),
        f"output change over {after} (%)": round(econ.output_change(growth[1]), 1),
        f"mean total trade {before} (USD million)": round(t_before),
        f"mean total trade {after} (USD million)": round(t_after),
        "change in mean total trade (%)": round(t_change, 1),
    }
    verdict = (CONTRADICTED, MIXED, SUPPORTED)[int(output_fell) + int(trade_fell)]
    rationale = (
        f"After the {len(sectoral)} sectoral resolutions of {econ.span(first, last)}, the Bank of Korea's estimates put "
        f"North Korea's real growth at {g_after:+.1f}% a year on average in {after}, against {g_before:+.1f}% in {before}: "
        f"output {'fell' if output_fell else 'did not fall'} ({figures[f'output change over {after} (%)']:+.1f}% over {after}). "
        f"KOTRA's estimate of total trade averaged {t_after:,.0f} million dollars a year, {abs(t_change):.0f}% "
        f"{'below' if t_change < 0 else 'above'} the {t_before:,.0f} million of {before}. These are outside estimates; "
        "they show when output and trade fell, not that the sanctions caused it."
    )
    evidence = list(sectoral["sanction_id"]) + ([closure["event_id"]] if closure is not None else [])
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        evidence,
        _economy_rows(frames, *growth, *trade),
        period=(pd.Timestamp(f"{b0}-01-01"), pd.Timestamp(f"{end}-12-31")),
    )


def check_pandemic_economy(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """The pandemic hurt North Korea's economy: output and trade with China fell after the 2020 border closure.

    The closure years run from the year of the January 2020 border closure to the year before freight trains
    crossed to China again (2022; only the closure year if that is not recorded). They are compared with the
    two years before the closure, when the 2016-2017 sanctions were already in full effect, so that their fall
    is not counted again. Output fell if real GDP growth (Bank of Korea) in the closure year was below the mean
    of the years before and output shrank over the closure years; trade with China fell if its mean (China's
    customs) in the closure years was at least 10% below the mean of the years before.
    Rule: supported if both fell; mixed if one did; contradicted if neither; not testable without the closure
    event or a year's figure. The inclusion setting does not apply.
    """
    claim = "c22-pandemic-economy"
    closure, reopening = _event(frames, BORDER_CLOSURE), _event(frames, FREIGHT_REOPENING)
    if closure is None:
        return _missing(claim, BORDER_CLOSURE)
    (_, _), (year, end) = closure_years(frames)
    e = frames["economy"]
    growth = (econ.window(e, "gdp_growth", year - PRE_CLOSURE_YEARS, year - 1), econ.window(e, "gdp_growth", year, end))
    china = (
        econ.window(e, "china_trade_total", year - PRE_CLOSURE_YEARS, year - 1),
        econ.window(e, "china_trade_total", year, end),
    )
    if (missing := _not_testable_economy(claim, growth + china)) is not None:
        return missing
    g_before, g_first = growth[0].mean, float(growth[1].values.loc[year])
    drop = econ.output_change(growth[1])
    c_before, c_after = china[0].mean, china[1].mean
    c_change = econ.change_pct(c_before, c_after)
    output_fell = g_first < g_before and drop < 0
    trade_fell = c_change <= -TRADE_FALL_PCT
    before, after = growth[0].label, growth[1].label
    figures = {
        "years compared": f"{before} (before) with {after} (border closed)",
        f"mean real GDP growth {before} (%)": round(g_before, 2),
        f"real GDP growth {year} (%)": g_first,
        f"output change over {after} (%)": round(drop, 1),
        f"mean trade with China {before} (USD million)": round(c_before),
        f"mean trade with China {after} (USD million)": round(c_after),
        "change in mean trade with China (%)": round(c_change, 1),
    }
    total = (
        econ.window(e, "trade_total", year - PRE_CLOSURE_YEARS, year - 1),
        econ.window(e, "trade_total", year, end),
    )
    if not econ.missing_figures(*total):
        figures["change in mean total trade, KOTRA (%)"] = round(econ.change_pct(total[0].mean, total[1].mean), 1)
    china_all = econ.series(e, "china_trade_total")
    latest = int(china_all.index.max())
    if latest > end:
        figures[f"trade with China {latest} as a share of {before} (%)"] = round(china_all[latest] / c_before * 100)
    verdict = (CONTRADICTED, MIXED, SUPPORTED)[int(output_fell) + int(trade_fell)]
    rationale = (
        f"North Korea shut its borders on {fmt.day(closure['start_date'])}. The Bank of Korea estimates growth of "
        f"{g_first:+.1f}% in {year}, against {g_before:+.1f}% a year in {before}, and output "
        f"{'shrank' if drop < 0 else 'grew'} {abs(drop):.1f}% over {after}. China's customs recorded trade with the DPRK "
        f"of {c_after:,.0f} million dollars a year in {after}, {abs(c_change):.0f}% {'below' if c_change < 0 else 'above'} "
        f"the {c_before:,.0f} million of {before}"
        + (
            f"; by {latest} it was back to {figures[f'trade with China {latest} as a share of {before} (%)']}% of that level"
            if latest > end
            else ""
        )
        + ". The figures are outside estimates and cannot separate the closure from sanctions or weather."
    )
    evidence = [closure["event_id"]] + ([reopening["event_id"]] if reopening is not None else [])
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        evidence,
        _economy_rows(frames, *growth, *china),
        period=(pd.Timestamp(f"{year - PRE_CLOSURE_YEARS}-01-01"), pd.Timestamp(f"{end}-12-31")),
    )


def check_denuclearization_consensus(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """Trump and Kim have had difficulty agreeing on denuclearisation.

    Rule: supported if no Trump-Kim summit after the first ended with something signed and no US-DPRK
    agreement followed the first summit; contradicted if a later signed record mentions denuclearisation;
    mixed otherwise (something later was signed, without denuclearisation). Not testable without at
    least two Trump-Kim summits. The inclusion setting does not apply.
    """
    claim = "c23-denuclearization-consensus"
    summits = _trump_kim_summits(frames)
    if len(summits) < 2:
        return Verdict(
            claim,
            NOT_TESTABLE,
            {"Trump-Kim summits": len(summits)},
            "The table records fewer than two Trump-Kim summits.",
        )
    first, later = summits.iloc[0], summits.iloc[1:]
    signed = [i for r in later.itertuples() for i in _deal(frames, r._asdict())]
    signed += list(_agreements(frames, first["end_date"] + DAY)["event_id"])
    ev = frames["diplomatic_events"]
    records = ev[ev["event_id"].isin(signed)]
    denuclear = bool((records["outcome"] + " " + records["title"]).str.contains(DENUCLEAR).any())
    verdict = CONTRADICTED if denuclear else MIXED if signed else SUPPORTED
    figures = {
        "Trump-Kim summits after the first": len(later),
        "signed records since the first summit": len(set(signed)),
        "of which mention denuclearisation": int(
            (records["outcome"] + " " + records["title"]).str.contains(DENUCLEAR).sum()
        ),
    }
    rationale = (
        f"After their first summit ({fmt.day(first['start_date'])}) Trump and Kim met {fmt.plural(len(later), 'time', zero='no')} more "
        f"({', '.join(fmt.day(d) for d in later['start_date'])}); the table records {fmt.plural(len(set(signed)), 'signed outcome', zero='no')} "
        f"since the first summit, {figures['of which mention denuclearisation']} of them on denuclearisation."
    )
    return Verdict(claim, verdict, figures, rationale, [*summits["event_id"], *signed], _events_table(summits))


def check_limited_success(frames: dict[str, pd.DataFrame], cns_threshold_only: bool = True) -> Verdict:
    """Trump's previous summits with Kim achieved limited success.

    Rule: supported if at least one Trump-Kim summit ended with nothing signed and no UN resolution eased
    sanctions after the first summit; contradicted if every summit produced something signed and
    sanctions were eased; mixed otherwise. Not testable without a Trump-Kim summit. The inclusion
    setting does not apply.
    """
    claim = "c25-limited-success"
    summits = _trump_kim_summits(frames)
    if summits.empty:
        return Verdict(claim, NOT_TESTABLE, {}, "The table records no Trump-Kim summit.")
    deals = {r.event_id: _deal(frames, r._asdict()) for r in summits.itertuples()}
    empty = [e for e, ids in deals.items() if not ids]
    relief = _relief(frames, summits["start_date"].min())
    verdict = SUPPORTED if empty and relief.empty else CONTRADICTED if not empty and len(relief) else MIXED
    figures = {
        "Trump-Kim summits": len(summits),
        "ended with something signed": len(summits) - len(empty),
        "ended with nothing signed": len(empty),
        "UN sanctions-relief resolutions since the first": len(relief),
    }
    titles = summits.set_index("event_id")["title"]
    rationale = (
        f"Of {fmt.plural(len(summits), 'Trump-Kim summit', zero='no')}, {figures['ended with something signed']} ended with something signed"
        + (f" and {len(empty)} with nothing ({'; '.join(titles[e] for e in empty)})" if empty else "")
        + f". Since the first, {fmt.plural(len(relief), 'UN resolution', zero='no')} could have eased sanctions."
    )
    table = _events_table(summits).assign(signed=[bool(deals[e]) for e in summits["event_id"]])
    return Verdict(
        claim,
        verdict,
        figures,
        rationale,
        [*summits["event_id"], *(i for ids in deals.values() for i in ids), *relief["sanction_id"]],
        table,
    )


CHECKS = {name: fn for name, fn in list(globals().items()) if name.startswith("check_") and callable(fn)}


def claims_table(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The claim ledger (the validated `claims` table)."""
    return frames["claims"]


def ledger(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every claim with its verdict under both inclusion settings.

    Columns: the claims.csv columns, `verdict` (CNS criterion only), `verdict_all_launches`,
    `depends_on_setting`, and the two Verdict objects (`result`, `result_all_launches`).
    """
    claims = claims_table(frames).reset_index(drop=True)
    results = {True: [], False: []}
    for row in claims.itertuples():
        for cns in results:
            if pd.notna(row.check):
                v = CHECKS[row.check](frames, cns_threshold_only=cns)
                if v.claim_id != row.claim_id:
                    raise ValueError(f"claims.csv: {row.claim_id}: {row.check} checks {v.claim_id}")
            else:
                v = Verdict(row.claim_id, NOT_TESTABLE, rationale=row.reason if pd.notna(row.reason) else "")
            results[cns].append(v)
    out = claims.assign(
        verdict=[v.verdict for v in results[True]],
        verdict_all_launches=[v.verdict for v in results[False]],
        result=results[True],
        result_all_launches=results[False],
    )
    return out.assign(depends_on_setting=out["verdict"] != out["verdict_all_launches"])
