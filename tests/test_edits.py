import pytest

from planner import Plan, PlanError
from planner.edits import move_unit


def test_moving_a_unit_keeps_its_place_and_drops_its_old_overrides(sample_plan: Plan) -> None:
    moved = move_unit(sample_plan, "dagtilbud-skoler", 2)
    assert moved.assignments["unit_id"].tolist() == sample_plan.assignments["unit_id"].tolist()
    assert moved.assignments.set_index("unit_id").loc["dagtilbud-skoler", "wave"] == 2
    assert moved.overrides.empty  # uge 10 belonged to wave 1's window
    assert sample_plan.assignments.set_index("unit_id").loc["dagtilbud-skoler", "wave"] == 1


def test_moving_an_unknown_unit_or_to_an_unknown_wave_is_refused(sample_plan: Plan) -> None:
    with pytest.raises(PlanError, match="Enheden 'ukendt' findes ikke"):
        move_unit(sample_plan, "ukendt", 2)
    with pytest.raises(PlanError, match="Bølge 7 findes ikke"):
        move_unit(sample_plan, "ejendomme", 7)
