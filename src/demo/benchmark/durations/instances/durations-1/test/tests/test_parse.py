import pytest

from durations import DurationError, parse_duration


@pytest.mark.parametrize(
    "text, seconds",
    [("1h30m", 5400), ("45s", 45), ("2d", 172800), pytest.param(" 10M ", 600, id="padded-upper")],
)
def test_parse(text, seconds):
    assert parse_duration(text) == seconds


def test_empty():
    with pytest.raises(DurationError):
        parse_duration("   ")


@pytest.mark.parametrize("text", ["ten-minutes", "1h30x", "h"])
def test_rejects_garbage(text):
    with pytest.raises(DurationError):
        parse_duration(text)
