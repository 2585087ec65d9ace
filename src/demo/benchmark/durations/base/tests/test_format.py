from durations import format_duration


def test_format():
    assert format_duration(5400) == "1h30m"


def test_round_trip():
    from durations import parse_duration
    for text in ["1d2h", "59s", "3h1s"]:
        assert format_duration(parse_duration(text)) == text
