"""`analysis audit` on small hand-made references: matching, dispositions, missing launches, bad input."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from conftest import reference_file
from typer.testing import CliRunner

from analysis import settings
from analysis.cli import app
from analysis.data import audit

COLUMNS = [
    "missile_id",
    "launch_id",
    "date_utc",
    "date_precision",
    "time_utc",
    "date_kst",
    "date_kst_basis",
    "missile_name",
    "missile_class",
    "class_basis",
    "facility",
    "latitude",
    "longitude",
    "apogee_km",
    "distance_km",
    "outcome",
    "confirmed",
    "cns_threshold",
    "origin",
    "source_ids",
    "note",
]


def row(mid, date_utc, date_kst, *, time="", name="Scud-C", cls="SRBM", apogee="", distance="", origin="cns", note=""):
    return dict(
        zip(
            COLUMNS,
            [
                mid,
                f"L{date_utc}",
                date_utc,
                "day",
                time,
                date_kst,
                "utc_time" if time else "assumed_same",
                name,
                cls,
                "cns",
                "unknown",
                "",
                "",
                apogee,
                distance,
                "success",
                "true",
                "true" if origin == "cns" else "false",
                origin,
                "cns-nkmtd",
                note,
            ],
        )
    )


ROWS = [
    row("M20140303-01", "2014-03-03", "2014-03-03", apogee="150.0", distance="500.0"),
    row("M20140303-02", "2014-03-03", "2014-03-03", apogee="150.0", distance="500.0"),
    row(
        "M20160414-01",
        "2016-04-14",
        "2016-04-15",
        time="20:33",
        name="Musudan",
        cls="IRBM",
        note="CNS date 2016-04-15 is the local date; UTC date is the day before",
    ),
    row("M20170608-01", "2017-06-08", "2017-06-08", name="Surface-to-ship missile", cls="cruise", origin="csis"),
]
CNS_CSV_HEADER = (
    "F1,Date,Date Entered/Updated,Launch Time (UTC),Missile Name,Missile Type,Launch Agency/Authority,"
    "Facility Name,Facility Location,Other Name,Facility Latitude,Facility Longitude,Landing Location,Apogee,"
    "Distance Travelled,Confirmation Status,Test Outcome,Additional Information,Source(s)\n"
)


def cns_line(n, date, time, name, kind, apogee, distance):
    return f'{n},{date},,{time},{name},{kind},,Unknown,,,,,,{apogee},"{distance}",Confirmed,Success,,\n'


@pytest.fixture
def project(tmp_path):
    curated = tmp_path / "curated"
    curated.mkdir()
    shutil.copy(settings.CURATED_DIR / "sources.csv", curated / "sources.csv")
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLUMNS)
    w.writeheader()
    w.writerows(ROWS)
    (curated / "missile_tests.csv").write_text(buf.getvalue(), encoding="utf-8")
    (tmp_path / "corrections.csv").write_text(",".join(audit.LOG_COLUMNS) + "\n", encoding="utf-8")
    cns_csv = tmp_path / "cns.csv"
    cns_csv.write_text(
        CNS_CSV_HEADER
        + cns_line(1, "3-Mar-14", "", "Scud-C", "SRBM", "150 km", "500 km")
        + cns_line(2, "3-Mar-14", "", "Scud-C", "SRBM", "150 km", "500 km")
        + cns_line(3, "15-Apr-16", "8:33:00 PM", "Musudan", "IRBM", "Unknown", "Unknown"),
        encoding="cp1252",
    )
    csis = tmp_path / "csis.csv"
    csis.write_text(
        "date,type,event,description,resources,year,week_number,month_year,weekday,mentions_kim\n"
        "2014-03-03,Missile Provocation,x,,,2014,,,,\n"
        "2016-04-15,Missile Provocation,x,,,2016,,,,\n"
        "2016-04-16,Other Provocation,x,,,2016,,,,\n"
        "2017-06-08,Missile Provocation,x,,,2017,,,,\n",
        encoding="utf-8",
    )
    return tmp_path


def findings(project, cns=(), csis=()):
    return audit.run(
        [project / c for c in cns],
        [project / c for c in csis],
        curated_dir=project / "curated",
        log_path=project / "corrections.csv",
    )


def log(project, *lines):
    with (project / "corrections.csv").open("a", encoding="utf-8") as fh:
        fh.writelines(line + "\n" for line in lines)


def test_agreeing_references_give_no_findings_and_a_noted_date_is_explained(project):
    found = findings(project, ["cns.csv"], ["csis.csv"])
    assert [(f.subject, f.field, f.ours, f.theirs, f.explained_by) for f in found] == [
        ("M20160414-01", "date_utc", "2016-04-14", "2016-04-15", "explained (note)")
    ]


def test_a_changed_value_is_unexplained_until_logged(project):
    text = (
        (project / "cns.csv")
        .read_text(encoding="cp1252")
        .replace(
            '2,3-Mar-14,,,Scud-C,SRBM,,Unknown,,,,,,150 km,"500 km"',
            '2,3-Mar-14,,,Scud-C,SRBM,,Unknown,,,,,,150 km,"600 km"',
        )
    )
    (project / "cns.csv").write_text(text, encoding="cp1252")
    bad = [f for f in findings(project, ["cns.csv"]) if not f.explained_by]
    assert [(f.subject, f.field, f.ours, f.theirs) for f in bad] == [("M20140303-02", "distance_km", "500.0", "600.0")]
    log(project, "cns-csv,L2014-03-03,distance_km,600.0,revised figure,cns-nkmtd")
    assert all(
        f.explained_by.startswith("explained (log: revised")
        for f in findings(project, ["cns.csv"])
        if f.field == "distance_km"
    )
    log(project, "cns-json,L2014-03-03,distance_km,600.0,wrong copy,cns-nkmtd")  # another reference: no effect
    assert len([f for f in findings(project, ["cns.csv"]) if f.field == "distance_km"]) == 1


def test_an_unlogged_date_change_is_matched_a_day_off_and_reported(project):
    rows = (
        (project / "curated" / "missile_tests.csv")
        .read_text()
        .replace("2014-03-03,day,,2014-03-03", "2014-03-04,day,,2014-03-04")
    )
    (project / "curated" / "missile_tests.csv").write_text(rows.replace("L2014-03-03", "L2014-03-04"))
    bad = [f for f in findings(project, ["cns.csv"], ["csis.csv"]) if not f.explained_by]
    assert {(f.reference, f.field, f.ours, f.theirs) for f in bad} == {
        ("cns-csv", "date_utc", "2014-03-04", "2014-03-03"),
        ("csis", "date_kst", "2014-03-04", "2014-03-03"),
    }
    log(
        project,
        "cns,L2014-03-04,date_utc,2014-03-03,CNS is a day early,cns-nkmtd",
        "csis,L2014-03-04,date_kst,2014-03-03,CSIS is a day early,csis-provocations",
    )
    assert all(f.explained_by for f in findings(project, ["cns.csv"], ["csis.csv"]))


def test_reference_launches_with_no_row_and_rows_with_no_reference(project):
    with (project / "cns.csv").open("a", encoding="cp1252") as fh:
        fh.write(cns_line(4, "12-Feb-17", "", "Pukguksong-2", "MRBM", "550 km", "500 km"))
    with (project / "csis.csv").open("a", encoding="utf-8") as fh:
        fh.write("2014-03-16,Missile Provocation,x,,,2014,,,,\n")
    rows = (project / "curated" / "missile_tests.csv").read_text().replace("2017-06-08", "2015-06-20")
    (project / "curated" / "missile_tests.csv").write_text(rows)
    bad = {
        (f.reference, f.subject, f.field) for f in findings(project, ["cns.csv"], ["csis.csv"]) if not f.explained_by
    }
    assert bad == {
        ("cns-csv", "2017-02-12", "launch"),
        ("csis", "2014-03-16", "launch"),
        ("csis", "2017-06-08", "launch"),
        ("csis", "M20170608-01", "row"),
    }
    log(project, "csis,2014-03-16,launch,*,artillery rockets,csis-provocations")
    assert ("csis", "2014-03-16", "launch") not in {
        (f.reference, f.subject, f.field) for f in findings(project, ["cns.csv"], ["csis.csv"]) if not f.explained_by
    }


def test_salvo_order_and_the_visualisation_copy(project):
    (project / "facility.en.json").write_text(
        json.dumps({"facilities": {"unknown": {"name": "Unknown", "lat": 1, "lon": 2}}})
    )
    (project / "missile.en.json").write_text(
        json.dumps({"scud-c": {"name": "Scud-C", "type": "SRBM"}, "musudan": {"name": "Musudan", "type": "IRBM"}})
    )
    records = [
        {
            "date": "2014-03-03",
            "time": "unknown",
            "missile": "scud-c",
            "facility": "unknown",
            "apogee": 150,
            "distance": "500",
            "outcome": "success",
        },
        {
            "date": "2014-03-03",
            "time": "unknown",
            "missile": "musudan",
            "facility": "unknown",
            "apogee": "unknown",
            "distance": 500,
            "outcome": "failure",
        },
        {
            "date": "2016-04-15",
            "time": "20:33 (UTC)",
            "missile": "musudan",
            "facility": "unknown",
            "apogee": "unknown",
            "distance": "unknown",
            "outcome": "success",
        },
    ]
    (project / "test.en.json").write_text(json.dumps({"timeBins": [{"year": 2014, "data": records}]}))
    found = {(f.subject, f.field, f.theirs) for f in findings(project, ["test.en.json"]) if not f.explained_by}
    assert found == {
        ("M20140303-02", "missile_name", "Musudan"),
        ("M20140303-02", "missile_class", "IRBM"),
        ("M20140303-02", "apogee_km", ""),
        ("M20140303-02", "outcome", "failure"),
    }


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: log(p, "nti,M1,time_utc,,x,cns-nkmtd"), "corrections.csv:2: reference: 'nti' is not one of"),
        (lambda p: log(p, "cns,M1,colour,,x,cns-nkmtd"), "corrections.csv:2: field: 'colour' is not a field"),
        (lambda p: log(p, "cns,M1,time_utc,,x,nobody"), "corrections.csv:2: source_ids: 'nobody' is not a source_id"),
        (lambda p: log(p, "cns,M1,time_utc,,,cns-nkmtd"), "corrections.csv:2: rows and reason are required"),
        (lambda p: (p / "csis.csv").write_text("when,what\n1,2\n"), "csis.csv: not the CSIS export"),
        (
            lambda p: (p / "csis.csv").write_text("date,type\n2014-13-01,Missile Provocation\n"),
            "csis.csv:2: date: '2014-13-01'",
        ),
    ],
)
def test_bad_input_is_one_line(project, setup, message):
    setup(project)
    with pytest.raises(audit.AuditError, match=message.replace("(", r"\(")):
        findings(project, ["cns.csv"], ["csis.csv"])


def test_missing_sidecar_of_the_visualisation_copy(project):
    (project / "test.en.json").write_text(json.dumps({"timeBins": []}))
    with pytest.raises(audit.AuditError, match="missile.en.json: cannot read the JSON"):
        findings(project, ["test.en.json"])


def test_cli_exit_codes(project, monkeypatch):
    monkeypatch.setattr(audit, "CORRECTIONS", project / "corrections.csv")
    monkeypatch.setattr(audit.settings, "CURATED_DIR", project / "curated")
    runner = CliRunner()
    ok = runner.invoke(app, ["audit", "--cns", str(project / "cns.csv"), "--csis", str(project / "csis.csv")])
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines()[-1].endswith("1 disagreement(s), 1 explained, 0 unexplained")
    quiet = runner.invoke(app, ["audit", "-q", "--cns", str(project / "cns.csv")])
    assert quiet.output.count("\n") == 1
    with (project / "csis.csv").open("a", encoding="utf-8") as fh:
        fh.write("2014-03-16,Missile Provocation,x,,,2014,,,,\n")
    bad = runner.invoke(app, ["audit", "--csis", str(project / "csis.csv")])
    assert bad.exit_code == 1 and "csis: 2014-03-16: launch: ours (empty)" in bad.output and "UNEXPLAINED" in bad.output
    monkeypatch.setattr(audit, "REFERENCE_DIR", project / "nowhere")
    assert runner.invoke(app, ["audit"]).exit_code == 2
    missing = runner.invoke(app, ["audit", "--cns", str(project / "nope.csv")])
    assert missing.exit_code == 2 and "cannot read the file" in missing.output


def test_shipped_table_has_no_unexplained_disagreement():
    found = audit.run(
        [reference_file("north_korea_missile_test_database.csv"), reference_file("test.en.json")],
        [reference_file("north_korea_provocations_1958_present.csv")],
    )
    assert [f.line() for f in found if not f.explained_by] == []


# ---------------------------------------------------------------- announced figures (hand-made snippets)


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("Seoul's military detected the launch at about 7:05 a.m. from the east coast.", ["07:05"]),
        ("Two launches were detected between 6:10 and 6:25 PM local time.", ["18:10", "18:25"]),
        ("The missiles were fired at 9:30, 9:41, and 9:50 pm.", ["21:30", "21:41", "21:50"]),
        ("Officials said they were launched at 22:04 and 22:20 UTC.", ["07:04", "07:20"]),
        ("It was launched at around 3 p.m. local time (2 a.m. ET).", ["15:00"]),
        ("It was fired at 8:02 am and splashed down at around 9:10 am.", ["08:02"]),
        ("A summit began at 10:00 a.m.; the cruise missile flew for 7,500 seconds.", []),
    ],
)
def test_announced_times(text, times):
    assert audit.announced_times(text) == times


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("The North fired three short-range ballistic missiles into the sea.", 3),
        ("It launched 4 Scud missiles and 2 Nodong missiles from an inland base.", 6),
        ("Two missiles were fired toward the east.", 2),
        ("The test came five days after another missile launch.", None),
        ("It test-fired a cruise missile resembling the KH-35 missile.", None),
        ("Pyongyang launched several cruise missiles.", None),
    ],
)
def test_announced_count(text, count):
    assert audit.announced_count(text) == count


def test_announced_km_reads_apogee_and_distance_by_the_words_before_them():
    assert audit.announced_km(
        "The first flew roughly 400 kilometers (249 miles) and reached a peak altitude of 600 km (373 miles)."
    ) == {"apogee": [600.0], "distance": [400.0]}
    assert audit.announced_km("It travelled about 100 miles (161km), with an apogee of 31 miles.") == {
        "apogee": [50],
        "distance": [161.0],
    }
    assert audit.announced_km("Its debris fell 40 km west of an island.") == {"apogee": [], "distance": []}


def test_announced_areas():
    assert audit.announced_areas("Launches came from Sunan, Kaechon and Hamhung in the morning.") == [
        "sunan",
        "kaechon",
        "hamhung",
    ]
    assert audit.announced_areas("It was fired from a site near Dongchang-ri toward the Yellow Sea.") == [
        "dongchang-ri"
    ]
    assert audit.announced_areas("The target was an island off the coast.") == []


def described(project, date, description):
    """The CSIS copy with one missile event and its description (what the figure checks read)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            "date",
            "type",
            "event",
            "description",
            "resources",
            "year",
            "week_number",
            "month_year",
            "weekday",
            "mentions_kim",
        ]
    )
    w.writerow([date, "Missile Provocation", "x", description, "", date[:4], "", "", "", ""])
    (project / "csis.csv").write_text(buf.getvalue(), encoding="utf-8")


def announced(project):
    return [
        (f.subject, f.field, f.ours, f.theirs, bool(f.explained_by))
        for f in findings(project, csis=["csis.csv"])
        if f.field.startswith("announced_")
    ]


def test_a_swapped_apogee_and_distance_is_a_finding(project):
    described(
        project,
        "2014-03-03",
        "Seoul said the North fired two missiles at 9:00 a.m. that flew about 150 km, reaching an altitude of 500 km.",
    )
    found = announced(project)  # the rows have apogee 150, distance 500: the other way round
    assert ("M20140303-01", "announced_swap", "150.0/500.0", "500/150", False) in found
    assert ("L2014-03-03", "announced_time", "", "09:00", False) in found  # a quoted time the rows lack


def test_a_count_that_disagrees_is_unexplained_until_logged(project):
    described(project, "2014-03-03", "The military said the North launched three ballistic missiles from a base.")
    assert announced(project) == [("L2014-03-03", "announced_count", "2", "3", False)]
    log(project, "csis,L2014-03-03,announced_count,3,the third was an artillery rocket,csis-provocations")
    assert announced(project) == [("L2014-03-03", "announced_count", "2", "3", True)]


def test_agreeing_figures_and_a_launch_area_not_the_rows_facility(project):
    described(
        project, "2014-03-03", "Two missiles were fired from near Sukchon; they flew 520 km at an apogee of 140 km."
    )
    rows = (project / "curated" / "missile_tests.csv").read_text()
    (project / "curated" / "missile_tests.csv").write_text(
        rows.replace("SRBM,cns,unknown,,,150.0,500.0", "SRBM,cns,Sunchon Airbase,39.41,125.89,150.0,500.0")
    )
    assert announced(project) == [
        ("M20140303-01", "announced_area", "Sunchon Airbase", "sukchon", False),
        ("M20140303-02", "announced_area", "Sunchon Airbase", "sukchon", False),
    ]
    note = (
        (project / "curated" / "missile_tests.csv")
        .read_text()
        .replace("success,true,true,cns,cns-nkmtd,\n", "success,true,true,cns,cns-nkmtd,the JCS named sukchon\n", 1)
    )
    (project / "curated" / "missile_tests.csv").write_text(note)
    assert [f[-1] for f in announced(project)] == [True, False]  # the first row's note states the area
