"""Missile designations: one spelling per missile type, so that "a new type" is a set difference of designations.

`designation(missile_name)` is the rule behind missile_tests.csv's `designation` column (validation checks that every
row agrees with it). The rule, in order:

1. a name that identifies no type (Unknown, Unidentified ..., a bare description such as "Cruise missile") has none;
2. a parenthesised code is dropped: "Hwasong-11D (KN-35)" is "Hwasong-11D" (the North Korean name first, the US
   code as its alias);
3. names that differ beyond parentheses are mapped by ALIASES: a US code standing alone becomes the North Korean name
   the table pairs it with, and a basing mode is not a type ("Rail-mobile KN-23" is a Hwasong-11A).

Every other name is its own designation. Plain Python, so the refresh code can use it on text rows.
"""

from __future__ import annotations

import re

# Names that describe a missile without naming its type (the CSIS record's wording, mostly).
DESCRIPTIONS = frozenset(
    {
        "anti-warship missile",
        "cruise missile",
        "satellite launch vehicle",
        "ship-to-ship tactical guided missile",
        "strategic cruise missile",
        "supersonic cruise missile",
        "surface-to-ship missile",
    }
)
_NO_TYPE = re.compile(r"^(unknown|unidentified)\b", re.IGNORECASE)
_CODE = re.compile(r"\s*\([^()]*\)\s*$")

# Spellings of one type that dropping a parenthesised code does not join; keys are matched case-insensitively.
ALIASES = {
    "KN-23": "Hwasong-11A",
    "Rail-mobile KN-23": "Hwasong-11A",
    "Silo-based KN-23": "Hwasong-11A",
    "KN-24": "Hwasong-11B",
    "KN-30": "Hwasong-11C",
    "KN-33": "Hwasong-11S",
    "KN-35": "Hwasong-11D",
}
_ALIASES = {k.casefold(): v for k, v in ALIASES.items()}


def designation(missile_name: str | None) -> str:
    """The type's one spelling for a missile name as the table records it; "" when the name identifies no type."""
    name = " ".join((missile_name or "").split())
    if not name or _NO_TYPE.match(name) or name.casefold() in DESCRIPTIONS:
        return ""
    name = _CODE.sub("", name) or name
    return _ALIASES.get(name.casefold(), name)
