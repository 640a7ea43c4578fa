"""A strict date parser for dateline residue: the whole string must be a date.

Returns ISO 8601 (``2022-09-10`` or ``2022-09-10T13:23:00``, with the UTC
offset when the text gives a numeric one) or None. Anything left over after
the date, a time, a weekday and a time-zone name means "not a dateline".
"""

from __future__ import annotations

from datetime import date

from . import rx

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>[a-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATE_RES = [
    rx.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
    rx.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    rx.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<mnum>\d{2})-(?P<day>\d{2})(?=\b|t)"),
]
_TIME_RE = rx.compile(
    r"(?:\bat\s+|t)?(?P<h>\d{1,2})[:.](?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<ap>[ap]\.?\s?m\.?)?(?P<off>z|[+-]\d{2}:?\d{2})?"
)
_FILLER_RE = rx.compile(
    r"\b(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?"
    r"|\b(?:utc|gmt|bst|cet|cest|est|edt|cst|cdt|mst|mdt|pst|pdt|et|pt|ct|ist|aest|aedt"
    r"|nzst|nzdt|sast|hkt|sgt|jst)\b|\bat\b|\bupdated\b|[,|·•/()\-–—]"
)


def parse_date(text: str) -> str | None:
    """ISO 8601 for a string that is only a date (and time), else None."""
    s = text.strip().lower()
    if not s or len(s) > 80:
        return None
    for date_re in _DATE_RES:
        m = date_re.search(s)
        if m is None:
            continue
        month = int(m["mnum"]) if "mnum" in m.groupdict() else _MONTHS.get(m["mon"], 0)
        try:
            day = date(int(m["year"]), month, int(m["day"]))
        except ValueError:
            return None
        rest = s[: m.start()] + " " + s[m.end() :]
        iso = day.isoformat()
        t = _TIME_RE.search(rest)
        if t is not None:
            hour, minute = int(t["h"]), int(t["mi"])
            ap = (t["ap"] or "").replace(".", "").replace(" ", "")
            if ap == "pm" and hour < 12:
                hour += 12
            elif ap == "am" and hour == 12:
                hour = 0
            if hour > 23 or minute > 59:
                return None
            iso += f"T{hour:02d}:{minute:02d}:{int(t['s'] or 0):02d}"
            off = t["off"]
            if off:
                iso += "Z" if off == "z" else f"{off[:3]}:{off[-2:]}"
            rest = rest[: t.start()] + " " + rest[t.end() :]
        if _FILLER_RE.sub(" ", rest).strip():
            return None
        return iso
    return None
