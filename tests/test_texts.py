import pytest

from planner.texts import choice_text, hours_text, short_lines


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


@pytest.mark.parametrize(
    ("names", "text"),
    [
        ([], "alle afdelinger"),
        (["Børn & Familie"], "Børn & Familie"),
        (["Børn & Familie", "Miljø & Teknik"], "Børn & Familie og Miljø & Teknik"),
        (["A", "B", "C"], "3 afdelinger"),
    ],
)
def test_a_filter_choice_reads_as_a_short_phrase(names: list[str], text: str) -> None:
    assert choice_text(names, singular="afdeling", plural="afdelinger") == text


def test_a_cut_text_can_keep_its_end_so_alike_beginnings_stay_apart() -> None:
    text = "Status på udrulningen til Chefforum efter bølge 2"
    assert short_lines(text, 17) == ["Status på", "udrulningen til…"]
    assert short_lines(text, 17, keep_end=True) == ["Status på", "…efter bølge 2"]
    assert all(len(line) <= 17 for line in short_lines(text, 17, keep_end=True))
    assert short_lines("Kort tekst", 17, keep_end=True) == ["Kort tekst"]
