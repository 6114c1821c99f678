"""Content lines: folding at 75 octets without breaking a letter or an escape, and TEXT escaping."""

from __future__ import annotations

import itertools

import icalendar
import pytest

from planner.ics_lines import escape_text, fold_line, text_line


@pytest.mark.parametrize(
    "value",
    ["kort", "æøå" * 60, "a\\,b\\;" * 40, "\\" * 151, "x" * 74 + "\\n" + "ø" * 40, "€" * 80],
)
def test_a_folded_line_has_short_pieces_and_unfolds_to_the_original(value: str) -> None:
    line = f"DESCRIPTION:{value}"
    folded = fold_line(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    for piece in pieces[:-1]:  # no piece ends inside an escape: an odd run of backslashes
        run = len(piece) - len(piece.rstrip("\\"))
        assert run % 2 == 0, piece


def test_escaped_text_reads_back_with_icalendar_for_every_mix_of_special_characters() -> None:
    for combination in itertools.product(["a", ",", ";", "\\", "\n", "æ", "\\n"], repeat=3):
        value = "".join(combination)
        parsed = icalendar.Event.from_ical(f"BEGIN:VEVENT\r\n{text_line('SUMMARY', value)}\r\nEND:VEVENT\r\n")
        assert str(parsed["SUMMARY"]) == value, repr(value)
    assert escape_text("a\x00b\x1fc\td") == "a b c\td"
