"""Which revision each calendar event last changed in."""

from __future__ import annotations

import datetime as dt

from planner.calendar_versions import Version, advance_versions, event_versions

V = [Version(n, dt.datetime(2026, 1, n, tzinfo=dt.UTC)) for n in range(1, 6)]


def test_an_event_keeps_the_revision_it_last_changed_in() -> None:
    history = [
        (V[0], {"a": "1", "b": "1"}),
        (V[1], {"a": "2", "b": "1"}),
        (V[2], {"a": "2", "b": "1"}),
    ]
    assert event_versions(history) == {"a": V[1], "b": V[0]}


def test_an_event_removed_and_added_again_counts_as_changed_when_it_returns() -> None:
    history = [(V[0], {"a": "1"}), (V[1], {}), (V[2], {"a": "1"})]
    assert event_versions(history) == {"a": V[2]}


def test_changing_back_to_an_earlier_content_is_still_a_change() -> None:
    history = [(V[0], {"a": "1"}), (V[1], {"a": "2"}), (V[2], {"a": "1"})]
    assert event_versions(history)["a"] == V[2]


def test_folding_one_revision_at_a_time_equals_folding_the_whole_history() -> None:
    history = [(V[0], {"a": "1", "b": "1"}), (V[1], {"a": "1", "b": "2", "c": "1"}), (V[2], {"b": "2", "c": "3"})]
    step = event_versions(history[:2])
    assert advance_versions(step, history[1][1], history[2][1], V[2]) == event_versions(history)
    assert event_versions([]) == {}
