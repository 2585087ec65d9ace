"""durations: parse and format time spans like "1h30m"."""
from durations.parse import parse_duration, DurationError
from durations.format import format_duration

__all__ = ["parse_duration", "format_duration", "DurationError"]
