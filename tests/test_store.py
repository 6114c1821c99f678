"""The store against real databases: an SQLite file in tmp_path, and PostgreSQL when configured."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from sqlalchemy import create_engine

from planner import Plan, PlanError
from planner.edits import move_unit
from planner.store import EditorRequiredError, StaleRevisionError, Store, metadata

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("PLANNER_TEST_DATABASE_URL")


def _fresh_postgres(url: str) -> None:
    engine = create_engine(url)
    metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'planner.db'}"
    if not PG_URL:
        if os.environ.get("PLANNER_REQUIRE_POSTGRES"):
            raise RuntimeError("PLANNER_TEST_DATABASE_URL mangler")
        pytest.skip("PLANNER_TEST_DATABASE_URL is not set")
    _fresh_postgres(PG_URL)
    return PG_URL


@pytest.fixture
def store(url: str, sample_plan: Plan) -> Iterator[Store]:
    s = Store(url)
    s.ensure_seeded(sample_plan)
    yield s
    s.close()


def test_the_seeded_plan_loads_back_unchanged(store: Store, sample_plan: Plan) -> None:
    number, plan = store.load()
    assert number == 1
    for name, frame in sample_plan.tables().items():
        pd.testing.assert_frame_equal(plan.tables()[name], frame, obj=name)
    assert plan.settings == sample_plan.settings
    assert store.history()[0].editor == "system"


def test_every_save_is_a_new_revision_with_who_and_why(store: Store, sample_plan: Plan) -> None:
    moved = move_unit(sample_plan, "kultur-fritid", 3)
    assert store.save(moved, base=1, editor="marie@albertslund.dk", comment="Kultur & Fritid til oktober") == 2
    history = store.history()
    assert [r.number for r in history] == [2, 1]
    assert (history[0].editor, history[0].comment, history[0].based_on) == (
        "marie@albertslund.dk",
        "Kultur & Fritid til oktober",
        1,
    )
    assert store.load(1)[1].assignments.set_index("unit_id").loc["kultur-fritid", "wave"] == 2
    assert store.load()[1].assignments.set_index("unit_id").loc["kultur-fritid", "wave"] == 3


def test_disjoint_edits_of_two_editors_merge_into_one_revision(url: str, store: Store, sample_plan: Plan) -> None:
    other = Store(url)  # a second app instance on the same database
    base_a, plan_a = store.load()
    base_b, plan_b = other.load()
    store.save(move_unit(plan_a, "kultur-fritid", 3), base=base_a, editor="marie@albertslund.dk", comment="flyt")
    saved = other.commit(move_unit(plan_b, "ejendomme", 2), base=base_b, editor="tine@albertslund.dk")
    assert saved.number == 3
    assert [r.number for r in saved.merged_with] == [2]
    assert "flettet med revision 2 (marie@albertslund.dk" in saved.message
    waves = store.load()[1].assignments.set_index("unit_id")["wave"]
    assert (waves["kultur-fritid"], waves["ejendomme"]) == (3, 2)
    newest = store.history()[0]
    assert (newest.based_on, newest.merged) == (1, True)
    other.close()


def test_same_row_edits_are_refused_naming_the_row_who_and_when_and_write_nothing(
    url: str, store: Store, sample_plan: Plan
) -> None:
    other = Store(url)
    store.save(move_unit(sample_plan, "kultur-fritid", 3), base=1, editor="marie@albertslund.dk", comment="flyt")
    with pytest.raises(StaleRevisionError) as info:
        other.save(move_unit(sample_plan, "kultur-fritid", 1), base=1, editor="tine@albertslund.dk")
    saved_at = store.history()[0].saved_at.astimezone(ZoneInfo("Europe/Copenhagen"))
    message = str(info.value)
    assert "Enheder i bølger: Kultur & Fritid – ændret af marie@albertslund.dk i revision 2" in message
    assert f"({saved_at:%d.%m.%Y kl. %H.%M})" in message  # Danish local time, as Historik shows it
    assert "Intet er gemt" in message
    [conflict] = info.value.conflicts
    assert conflict.changed_in is not None and conflict.changed_in.number == 2
    assert store.latest() == 2  # nothing lost, nothing half-written
    assert store.load()[1].assignments.set_index("unit_id").loc["kultur-fritid", "wave"] == 3

    kept = other.commit(
        move_unit(sample_plan, "kultur-fritid", 1),
        base=1,
        editor="tine@albertslund.dk",
        resolutions={conflict.ident: "mine"},
    )
    assert store.load(kept.number)[1].assignments.set_index("unit_id").loc["kultur-fritid", "wave"] == 1
    other.close()


def test_a_merge_that_would_break_the_plan_is_refused_and_writes_nothing(store: Store, sample_plan: Plan) -> None:
    tasks = sample_plan.tasks
    store.save(sample_plan.with_tables(tasks=tasks[tasks["task_id"] != "beskrivelse-udfordringer"]), base=1, editor="a")
    deps = sample_plan.dependencies
    new = deps.iloc[[0]].assign(dependency_id="ny", predecessor="beskrivelse-udfordringer", successor="workshop")
    mine = sample_plan.with_tables(dependencies=pd.concat([deps, new], ignore_index=True))
    with pytest.raises(StaleRevisionError, match=r"kan ikke flettes: .*ukendt aktivitet 'beskrivelse-udfordringer'"):
        store.save(mine, base=1, editor="b")
    assert store.latest() == 2


def test_a_save_without_an_editor_is_refused_and_writes_nothing(store: Store, sample_plan: Plan) -> None:
    for editor in (None, "", "   "):
        with pytest.raises(EditorRequiredError):
            store.save(sample_plan, base=1, editor=editor)
    assert store.latest() == 1


def test_restore_saves_a_new_revision_equal_to_the_old_one(store: Store, sample_plan: Plan) -> None:
    store.save(move_unit(sample_plan, "kultur-fritid", 3), base=1, editor="a")
    assert store.restore(1, base=2, editor="b") == 3
    restored = store.load(3)[1]
    for name, frame in sample_plan.tables().items():
        pd.testing.assert_frame_equal(restored.tables()[name], frame, obj=name)
    assert store.history()[0].comment == "Gendannet fra revision 1"
    assert len(store.history()) == 3


def test_the_diff_lists_units_moved_activities_and_milestones(store: Store, sample_plan: Plan) -> None:
    plan = move_unit(sample_plan, "kultur-fritid", 3)
    ms = plan.milestones.copy()
    ms.loc[ms["milestone_id"] == "b27-1-behandling", "date"] = pd.Timestamp("2026-09-01")
    ms = ms[ms["milestone_id"] != "okonomiaftale-2027"]
    ms = pd.concat(
        [
            ms,
            pd.DataFrame(
                [
                    {
                        "milestone_id": "ny",
                        "date": pd.Timestamp("2026-11-10"),
                        "title": "Ny milepæl",
                        "body": "ØU",
                        "kind": "political",
                        "budget_step": "",
                        "source": "test",
                    }
                ]
            ),
        ]
    )
    overrides = plan.overrides.assign(start_week="2026-W09")
    store.save(plan.with_tables(milestones=ms, overrides=overrides), base=1, editor="a")
    diff = store.diff(1, 2)
    rows = {(r["area"], r["what"]): r for r in diff.to_dict("records")}
    assert rows["enhed", "Kultur & Fritid"]["change"] == "flyttet fra bølge 2 til bølge 3"
    assert rows["aktivitet", "Dagtilbud & Skoler: Orienteringsmøde for ledere"]["before"] == "2026-W10"
    assert rows["aktivitet", "Dagtilbud & Skoler: Orienteringsmøde for ledere"]["after"] == "2026-W09"
    assert rows["milepæl", "1. behandling af Budget 2027 i KB"]["change"] == "ændret"
    assert rows["milepæl", "Økonomiaftale for 2027 mellem KL og regeringen"]["change"] == "fjernet"
    assert rows["milepæl", "Ny milepæl"]["change"] == "tilføjet"
    assert not any(w.startswith("Kultur & Fritid:") for _, w in rows)  # said once, on the unit


def test_reopening_an_existing_database_keeps_its_revisions(url: str, store: Store, sample_plan: Plan) -> None:
    store.save(move_unit(sample_plan, "kultur-fritid", 3), base=1, editor="a")
    store.close()
    again = Store(url)
    assert again.ensure_seeded(sample_plan) == 2
    assert [r.number for r in again.history()] == [2, 1]
    again.close()


def test_a_version_1_database_is_migrated_in_place_and_keeps_its_revisions(url: str, store: Store) -> None:
    with store.engine.begin() as conn:  # as a database from before revisions kept move_weeks
        conn.exec_driver_sql("ALTER TABLE revisions DROP COLUMN move_weeks")
        conn.exec_driver_sql("UPDATE schema_version SET version = 1")
    store.close()
    again = Store(url)
    number, plan = again.load()
    assert (number, plan.settings.move_weeks) == (1, 2)  # the default the setting had then
    saved = again.save(plan.with_settings(replace(plan.settings, move_weeks=3)), base=1, editor="a")
    assert again.load(saved)[1].settings.move_weeks == 3
    again.close()


def test_a_database_from_a_newer_version_is_not_touched(url: str, store: Store) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE schema_version SET version = 99")
    with pytest.raises(PlanError, match="nyere version"):
        Store(url)


CHILD = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from planner import load_plan
    from planner.edits import move_unit
    from planner.store import StaleRevisionError, Store

    store = Store({url!r})
    base, plan = store.load()
    plan = move_unit(plan, {unit!r}, {wave})
    Path({ready!r}).touch()
    while not Path({go!r}).exists():
        time.sleep(0.01)
    try:
        store.save(plan, base=base, editor={editor!r})
    except StaleRevisionError:
        sys.exit(3)
    """
)


def _race(url: str, tmp_path: Path, moves: list[tuple[str, int]]) -> list[int]:
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{i}" for i in range(len(moves))]
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                CHILD.format(
                    root=str(ROOT), url=url, unit=unit, wave=wave, go=str(go), ready=str(flag), editor=f"{unit}-{wave}"
                ),
            ],
        )
        for (unit, wave), flag in zip(moves, ready, strict=True)
    ]
    deadline = time.monotonic() + 120
    while not all(flag.exists() for flag in ready):  # both have loaded revision 1, however slow the machine
        assert time.monotonic() < deadline and all(c.poll() is None for c in children), "a child did not start"
        time.sleep(0.05)
    go.touch()
    return sorted(c.wait(timeout=120) for c in children)


def test_two_processes_saving_different_units_on_one_base_both_get_saved(
    url: str, store: Store, tmp_path: Path
) -> None:
    assert _race(url, tmp_path, [("kultur-fritid", 3), ("borger-arbejdsmarked", 3)]) == [0, 0]
    assert store.latest() == 3
    waves = store.load()[1].assignments.set_index("unit_id")["wave"]
    assert (waves["kultur-fritid"], waves["borger-arbejdsmarked"]) == (3, 3)


def test_two_processes_moving_one_unit_on_one_base_one_wins_one_is_refused(
    url: str, store: Store, tmp_path: Path
) -> None:
    assert _race(url, tmp_path, [("kultur-fritid", 3), ("kultur-fritid", 1)]) == [0, 3]
    assert store.latest() == 2
    assert len(store.history()) == 2


KILLED = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from sqlalchemy import event
    from planner.edits import move_unit
    from planner.store import Store

    store = Store({url!r})
    base, plan = store.load()

    @event.listens_for(store.engine, "after_execute")
    def pause(conn, clause, *args):
        # The revision row is written and the tables are going in: stop here until killed.
        if "plan_tables" in str(clause):
            print("inside", flush=True)
            time.sleep(600)

    store.save(move_unit(plan, "kultur-fritid", 3), base=base, editor="killed")
    """
)


def test_a_process_killed_during_a_save_leaves_the_last_revision_intact(url: str, store: Store) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED.format(root=str(ROOT), url=url)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "inside"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    fresh = Store(url)
    assert fresh.latest() == 1
    _, plan = fresh.load()
    assert plan.assignments.set_index("unit_id").loc["kultur-fritid", "wave"] == 2
    assert fresh.save(plan, base=1, editor="next") == 2  # the lock died with the process
    fresh.close()
