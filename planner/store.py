"""Plan storage: every save is a new revision of the whole plan, in SQLite or PostgreSQL (SQLAlchemy 2).

A revision holds each plan table as compressed CSV text: loading a revision costs about what reading
the CSV files costs, and a save is one transaction. Revisions are numbered 1, 2, 3, ...; a save names
the revision it was based on. When someone saved after that base, the save merges three ways (see
`merge.py`): rows the two editors changed separately are both kept, and only rows both changed are
refused, naming who changed them and when. Two saves racing for the same number collide on the
primary key; the loser merges again on top of the winner: optimistic concurrency without locks.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from .diff import diff_plans
from .errors import PlanError, Problem
from .merge import (
    SETTINGS_TABLE,
    Choice,
    Key,
    RowConflict,
    describe,
    merge_tables,
    settings_from_text,
    settings_text,
    text_tables,
)
from .model import Plan, Settings, build_plan
from .revision import Conflict, EditorRequiredError, Revision, Saved, StaleRevisionError
from .schema import TABLES

__all__ = [
    "Conflict",
    "EditorRequiredError",
    "Revision",
    "Saved",
    "StaleRevisionError",
    "Store",
    "default_database_url",
]

SCHEMA_VERSION = 2  # 2: revisions keep the setting move_weeks

metadata = MetaData()
schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))
revisions = Table(
    "revisions",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("editor", String(320), nullable=False),
    Column("comment", Text, nullable=False),
    Column("based_on", Integer, nullable=True),
    Column("title", Text, nullable=False),
    Column("consultant_capacity_hours", Float, nullable=False),
    Column("move_weeks", Integer, nullable=False, server_default="2"),
)
plan_tables = Table(
    "plan_tables",
    metadata,
    Column("revision", Integer, ForeignKey("revisions.number"), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("csv", LargeBinary, nullable=False),
)


class _RaceLostError(Exception):
    """Someone saved between our merge and our insert: merge again on top of theirs."""


def default_database_url() -> str:
    """Return `PLANNER_DATABASE_URL`, or an SQLite file under `PLANNER_STATE_DIR` (default `var/`)."""
    url = os.environ.get("PLANNER_DATABASE_URL")
    if url:
        return url
    state = Path(os.environ.get("PLANNER_STATE_DIR") or Path(__file__).resolve().parent.parent / "var")
    state.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{state / 'planner.db'}"


def _pack(csv: str) -> bytes:
    return zlib.compress(csv.encode("utf-8"), 6)


def _read(csv: str | None) -> pd.DataFrame:
    if csv is None:  # an optional table a revision was stored without
        return pd.DataFrame()
    return pd.read_csv(io.StringIO(csv), dtype=str, keep_default_na=False)


def _unpack(blob: bytes) -> pd.DataFrame:
    return _read(zlib.decompress(blob).decode("utf-8"))


# The plan-wide settings a revision keeps, as columns of its row.
_SETTINGS = ("title", "consultant_capacity_hours", "move_weeks")


class Store:
    """Revisions of the plan in one database; safe to use from several processes on one database."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_database_url()
        self.engine: Engine = create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            _sqlite_setup(self.engine)
        self._migrate()

    def _migrate(self) -> None:
        # Explicit, numbered migrations, applied in one transaction when the app starts: an existing
        # database is upgraded in place, never recreated.
        with self._begin() as conn:
            metadata.create_all(conn, tables=[schema_version])
            current = conn.execute(select(func.max(schema_version.c.version))).scalar()
            if current is None:
                metadata.create_all(conn, tables=[revisions, plan_tables])
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
            elif current < SCHEMA_VERSION:
                if current < 2:
                    conn.exec_driver_sql("ALTER TABLE revisions ADD COLUMN move_weeks INTEGER NOT NULL DEFAULT 2")
                conn.execute(update(schema_version).values(version=SCHEMA_VERSION))
            elif current > SCHEMA_VERSION:
                raise PlanError(
                    f"Databasen er fra en nyere version af planlæggeren (skema {current}); opdatér programmet"
                )

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        """Open a write transaction (on SQLite one that takes the write lock at once)."""
        with self.engine.connect() as conn:
            conn.info["write"] = True
            with conn.begin():
                yield conn

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def latest(self) -> int | None:
        """Return the number of the newest revision, or None for an empty store."""
        with self.engine.connect() as conn:
            value = conn.execute(select(func.max(revisions.c.number))).scalar()
        return None if value is None else int(value)

    def history(self) -> list[Revision]:
        """Return every revision, newest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(revisions).order_by(revisions.c.number.desc())).mappings().all()
        return [_revision(r) for r in rows]

    def newer(self, base: int | None, latest: int | None = None) -> list[Revision]:
        """Return the revisions after `base` (up to `latest`), oldest first: what others saved meanwhile."""
        query = select(revisions).order_by(revisions.c.number)
        if base is not None:
            query = query.where(revisions.c.number > base)
        if latest is not None:
            query = query.where(revisions.c.number <= latest)
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [_revision(r) for r in rows]

    def revision(self, number: int) -> Revision:
        """Return the metadata of revision `number`."""
        with self.engine.connect() as conn:
            row = conn.execute(select(revisions).where(revisions.c.number == number)).mappings().first()
        if row is None:
            raise PlanError(f"Revision {number} findes ikke")
        return _revision(row)

    def load(self, number: int | None = None) -> tuple[int, Plan]:
        """Return (number, plan) of revision `number`, or of the newest revision."""
        with self.engine.connect() as conn:
            if number is None:
                number = conn.execute(select(func.max(revisions.c.number))).scalar()
                if number is None:
                    raise PlanError("Databasen har endnu ingen plan")
            meta = conn.execute(select(revisions).where(revisions.c.number == number)).mappings().first()
            if meta is None:
                raise PlanError(f"Revision {number} findes ikke")
            blobs = conn.execute(
                select(plan_tables.c.name, plan_tables.c.csv).where(plan_tables.c.revision == number)
            ).all()
        raw = {name: _unpack(blob) for name, blob in blobs}
        settings = settings_from_text(dict(meta), Settings())
        names = {name: f"revision {number}, {spec.label}" for name, spec in TABLES.items()}
        return int(number), build_plan(raw, settings=settings, names=names)

    def save(self, plan: Plan, *, base: int | None, editor: str | None, comment: str = "") -> int:
        """Save `plan` as a new revision after `base` (merged with newer revisions) and return its number."""
        return self.commit(plan, base=base, editor=editor, comment=comment).number

    def commit(
        self,
        plan: Plan,
        *,
        base: int | None,
        editor: str | None,
        comment: str = "",
        resolutions: Mapping[tuple[str, Key], Choice] | None = None,
    ) -> Saved:
        """Save `plan`, edited from revision `base`, as the next revision; merge it with any newer ones.

        Rows changed both here and in a newer revision are settled by `resolutions` ((table, key) ->
        "mine" or "theirs"). Raises EditorRequiredError without an editor identity, and
        StaleRevisionError when rows conflict or the merged plan would not be valid; in both cases
        nothing is written.
        """
        if not editor or not editor.strip():
            raise EditorRequiredError("Kun redaktører kan gemme planen; log ind som redaktør")
        mine = text_tables(plan)
        mine_csv = {name: frame.to_csv(index=False) for name, frame in mine.items()}
        for _ in range(20):
            latest = self.latest()
            saved, csv = plan, mine_csv
            merged_with: tuple[Revision, ...] = ()
            if latest is not None and latest != base:
                if base is None:
                    raise self._stale(base, latest, [])
                saved, csv = self._merge(plan, mine, mine_csv, base=base, latest=latest, resolutions=resolutions or {})
                merged_with = tuple(self.newer(base, latest))
            number = (latest or 0) + 1
            try:
                with self._begin() as conn:
                    if conn.execute(select(func.max(revisions.c.number))).scalar() != latest:
                        raise _RaceLostError
                    conn.execute(
                        insert(revisions).values(
                            number=number,
                            saved_at=dt.datetime.now(dt.UTC),
                            editor=editor.strip(),
                            comment=comment.strip(),
                            based_on=base,
                            title=saved.settings.title,
                            consultant_capacity_hours=saved.settings.consultant_capacity_hours,
                            move_weeks=saved.settings.move_weeks,
                        )
                    )
                    conn.execute(
                        insert(plan_tables),
                        [{"revision": number, "name": name, "csv": _pack(text)} for name, text in csv.items()],
                    )
            except (_RaceLostError, IntegrityError):  # IntegrityError: a concurrent save took the same number
                continue  # merge again on top of the save that won
            return Saved(number, merged_with, saved)
        raise PlanError("Planen gemmes af mange samtidig; prøv igen om lidt")

    def _csv(self, number: int) -> tuple[dict[str, str], dict[str, str]]:
        """Return the stored CSV text of every table and the settings of revision `number`."""
        with self.engine.connect() as conn:
            meta = conn.execute(select(revisions).where(revisions.c.number == number)).mappings().first()
            blobs = conn.execute(
                select(plan_tables.c.name, plan_tables.c.csv).where(plan_tables.c.revision == number)
            ).all()
        if meta is None:
            raise PlanError(f"Revision {number} findes ikke")
        settings = {name: str(meta[name]) for name in _SETTINGS}
        return {name: zlib.decompress(blob).decode("utf-8") for name, blob in blobs}, settings

    def _merge(
        self,
        plan: Plan,
        mine: dict[str, pd.DataFrame],
        mine_csv: dict[str, str],
        *,
        base: int,
        latest: int,
        resolutions: Mapping[tuple[str, Key], Choice],
    ) -> tuple[Plan, dict[str, str]]:
        """Return the plan merged from `base`, `plan` and revision `latest`, and its tables as CSV text."""
        # Revisions are stored as canonical CSV text (what a save of a Plan writes), so a table one
        # side left as it was is taken whole from the other, and only tables both sides changed are
        # merged row by row. The merged plan is validated: a plan is never stored unchecked.
        base_csv, base_settings = self._csv(base)
        their_csv, their_settings = self._csv(latest)
        b_tab: dict[str, pd.DataFrame] = {}
        m_tab: dict[str, pd.DataFrame] = {}
        t_tab: dict[str, pd.DataFrame] = {}
        source: dict[int, str] = {}  # id of a table frame -> its CSV text, to store it without writing it again
        trusted: dict[str, pd.DataFrame] = {}  # tables taken whole from the validated plan being saved
        for name in TABLES:
            b, t = base_csv.get(name), their_csv.get(name)
            if t == b:
                b_tab[name] = t_tab[name] = m_tab[name] = mine[name]
                source[id(mine[name])] = mine_csv[name]
                trusted[name] = plan.tables()[name]
            elif mine_csv[name] == b:
                b_tab[name] = t_tab[name] = m_tab[name] = _read(t)
                if t is not None:
                    source[id(t_tab[name])] = t
            else:
                b_tab[name], m_tab[name], t_tab[name] = _read(b), mine[name], _read(t)
        result = merge_tables(
            b_tab,
            m_tab,
            t_tab,
            base_settings=base_settings,
            mine_settings=settings_text(plan.settings),
            theirs_settings=their_settings,
            resolutions=resolutions,
        )
        if result.conflicts:
            raise self._stale(base, latest, result.conflicts, names_from=t_tab | mine)
        settings = settings_from_text(result.settings, plan.settings)
        try:
            # Only the tables both sides changed are parsed again; all are checked across tables.
            merged = build_plan(
                result.tables, settings=settings, names={n: t.label for n, t in TABLES.items()}, trusted=trusted
            )
        except PlanError as exc:
            raise self._stale(base, latest, [], problems=exc.problems) from None
        csv = {name: source.get(id(frame)) or frame.to_csv(index=False) for name, frame in result.tables.items()}
        return merged, csv

    def _stale(
        self,
        base: int | None,
        latest: int,
        conflicts: list[RowConflict],
        *,
        names_from: Mapping[str, pd.DataFrame] | None = None,
        problems: list[Problem] | None = None,
    ) -> StaleRevisionError:
        newer = self.newer(base, latest)
        changes = pd.DataFrame(columns=["what", "change"])
        if base is not None and newer and not conflicts:
            changes = diff_plans(self.load(base)[1], self.load(latest)[1])
        blamed = self.who_changed(base, newer, conflicts)
        details = [Conflict(c, describe(c, names_from or {}), blamed.get(c.ident)) for c in conflicts]
        return StaleRevisionError(base, newer, changes, details, problems)

    def _text(self, number: int, names: Iterable[str]) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
        """Return some stored tables of revision `number` as text, and its settings."""
        csv, settings = self._csv(number)
        return {n: _read(text) for n, text in csv.items() if n in names}, settings

    def who_changed(
        self, base: int | None, newer: list[Revision], conflicts: list[RowConflict]
    ) -> dict[tuple[str, Key], Revision]:
        """Return, for each conflicting row, the newest of the revisions `newer` (after `base`) that changed it."""
        if base is None or not conflicts:
            return {}
        names = {c.table for c in conflicts if c.table != SETTINGS_TABLE}

        def version(tables: dict[str, pd.DataFrame], settings: dict[str, str], c: RowConflict) -> object:
            if c.table == SETTINGS_TABLE:
                return settings.get(c.key[0])
            frame = tables.get(c.table)
            if frame is None:
                return None
            spec = TABLES[c.table]
            width = 1 if c.rekeyed else len(spec.key)
            hit = frame
            for column, value in zip(spec.key[:width], c.key[:width], strict=True):
                hit = hit[hit[column] == value]
            return sorted(map(tuple, hit.to_numpy().tolist()))

        previous = self._text(base, names)
        found: dict[tuple[str, Key], Revision] = {}
        for revision in newer:
            current = self._text(revision.number, names)
            for c in conflicts:
                if version(*previous, c) != version(*current, c):
                    found[c.ident] = revision
            previous = current
        return found

    def restore(self, number: int, *, base: int | None, editor: str | None) -> int:
        """Save a new revision equal to revision `number`; the history keeps everything in between."""
        _, plan = self.load(number)
        return self.save(plan, base=base, editor=editor, comment=f"Gendannet fra revision {number}")

    def diff(self, old: int, new: int) -> pd.DataFrame:
        """Return what changed from revision `old` to revision `new` (see `diff.diff_plans`)."""
        return diff_plans(self.load(old)[1], self.load(new)[1])

    def ensure_seeded(self, plan: Plan, *, comment: str = "Indlæst fra data/") -> int:
        """Return the newest revision, first saving `plan` as revision 1 into an empty store."""
        latest = self.latest()
        if latest is not None:
            return latest
        try:
            return self.save(plan, base=None, editor="system", comment=comment)
        except StaleRevisionError:  # another process seeded it first
            return self.latest() or 1


def _revision(row: Any) -> Revision:
    saved_at = row["saved_at"]
    if saved_at.tzinfo is None:  # SQLite drops the time zone; we always store UTC
        saved_at = saved_at.replace(tzinfo=dt.UTC)
    return Revision(int(row["number"]), saved_at, row["editor"], row["comment"], row["based_on"])


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # WAL: readers never wait for a writer; a killed writer leaves the last commit intact.
        dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below take control
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write takes the lock at BEGIN, so the check of the newest revision and the insert of the
        # next one cannot interleave with another process; reads do not wait for it (WAL).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")
