"""Parsing of compact duration strings ("2h", "1h30m", "45s")."""
import re

UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_TOKEN = re.compile(r"(\d+)([dhms])")


class DurationError(ValueError):
    """Raised for strings that are not durations."""


def parse_duration(text):
    """Return the number of seconds in ``text``.

    >>> parse_duration("1h30m")
    5400
    """
    text = text.strip().lower()
    if not text:
        raise DurationError("empty duration")
    if _TOKEN.sub("", text) != "":
        raise DurationError(f"not a duration: {text!r}")
    total = 0
    for amount, unit in _TOKEN.findall(text):
        total += int(amount) * UNITS[unit]
    return total
