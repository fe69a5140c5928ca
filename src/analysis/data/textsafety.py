"""Text crossing a boundary: control characters out of anything that enters the project or reaches a terminal, and
spreadsheet formulas defused in every CSV written for people (OWASP's CSV-injection rule)."""

from __future__ import annotations

import re

# C0 and C1 controls (ESC, OSC, BEL …) and DEL; tab, newline and carriage return are handled by the callers' rules.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A cell a spreadsheet would read as a formula: these first characters (tab and CR included).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def has_controls(text: str) -> bool:
    return bool(_CONTROLS.search(text))


def strip_controls(text: str) -> str:
    """The text without control characters (tab, newline and carriage return kept)."""
    return _CONTROLS.sub("", text)


def one_line(text: str) -> str:
    """For a terminal or a log line: no control characters, and newlines, tabs and CRs as spaces."""
    return re.sub(r"[\t\r\n]+", " ", strip_controls(text))


def is_formula(text: str) -> bool:
    """A text cell a spreadsheet would evaluate (a plain number such as -3.5 is not)."""
    return text.startswith(FORMULA_START) and not _NUMBER.fullmatch(text)


def neutralise(text: str) -> str:
    """OWASP's rule: a formula-leading text cell gets a leading apostrophe; numbers stay numbers."""
    return "'" + text if is_formula(text) else text
