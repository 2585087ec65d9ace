"""Formatting seconds back into compact duration strings."""
from durations.parse import UNITS


def format_duration(seconds):
    """Format ``seconds`` as the shortest compact string, e.g. 5400 -> "1h30m"."""
    if seconds < 0:
        raise ValueError("negative duration")
    parts = []
    for unit, size in UNITS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
