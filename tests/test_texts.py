import pytest

from planner.texts import hours_text


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        (0.5, "½ time"),
        (1, "1 time"),
        (1.5, "1½ time"),
        (2, "2 timer"),
        (2.5, "2½ timer"),
        (0.25, "¼ time"),
        (1.2, "1,2 timer"),
        (None, ""),
        (0, ""),
    ],
)
def test_durations_read_as_danes_say_them(hours: float | None, text: str) -> None:
    assert hours_text(hours) == text
