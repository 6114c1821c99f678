"""Plan storage: every save is a new revision of the whole plan, in SQLite or PostgreSQL (SQLAlchemy 2).

A revision holds each plan table as compressed CSV text: loading a revision costs about what reading
the CSV files costs, and a save is one transaction. Revisions are numbered 1, 2, 3, ...; a save names
the revision it was based on and inserts the next number, so two editors saving on the same base
collide on the primary key and the second is refused: optimistic concurrency without locks.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from .diff import diff_plans
from .errors import PlanError, Problem
from .files import table_to_text
from .model import Plan, Settings, build_plan
from .schema import TABLES

__all__ = [
    "EditorRequiredError",
    "Revision",
    "StaleRevisionError",
    "Store",
    "default_database_url",
]

SCHEMA_VERSION = 1
COPENHAGEN = ZoneInfo("Europe/Copenhagen")

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
)
plan_tables = Table(
    "plan_tables",
    metadata,
    Column("revision", Integer, ForeignKey("revisions.number"), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("csv", LargeBinary, nullable=False),
)


class _ConflictError(Exception):
    """Someone saved after the base revision: the transaction is rolled back."""


class EditorRequiredError(PermissionError):
    """A save without an editor identity: only editors may change the plan."""


class StaleRevisionError(PlanError):
    """A save based on a revision that someone else has since replaced; says who changed what."""

    def __init__(self, base: int | None, newer: list[Revision], changes: pd.DataFrame) -> None:
        self.base = base
        self.newer = newer
        self.changes = changes
        who = "; ".join(
            f"revision {r.number} gemt af {r.editor} {r.saved_at:%d.%m.%Y kl. %H.%M}"
            + (f" ({r.comment})" if r.comment else "")
            for r in newer
        )
        what = "; ".join(f"{c['what']}: {c['change']}" for c in changes.head(5).to_dict("records"))
        more = f" og {len(changes) - 5} ændringer mere" if len(changes) > 5 else ""
        message = f"Planen er ændret, siden du begyndte at redigere (du tog udgangspunkt i revision {base}): {who}."
        if what:
            message += f" Ændret: {what}{more}."
        message += " Dine ændringer er ikke gemt; de står stadig i formularen."
        super().__init__(Problem("", None, None, message))


@dataclass(frozen=True)
class Revision:
    """One saved version of the plan: its number, when, by whom, why, and what it was based on."""

    number: int
    saved_at: dt.datetime
    editor: str
    comment: str
    based_on: int | None

    @property
    def local_time(self) -> str:
        """Return when it was saved, in Danish time: `29.11.2026 kl. 08.33`."""
        return f"{self.saved_at.astimezone(COPENHAGEN):%d.%m.%Y kl. %H.%M}"


def default_database_url() -> str:
    """Return `PLANNER_DATABASE_URL`, or an SQLite file under `PLANNER_STATE_DIR` (default `var/`)."""
    url = os.environ.get("PLANNER_DATABASE_URL")
    if url:
        return url
    state = Path(os.environ.get("PLANNER_STATE_DIR") or Path(__file__).resolve().parent.parent / "var")
    state.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{state / 'planner.db'}"


def _pack(frame: pd.DataFrame) -> bytes:
    return zlib.compress(table_to_text(frame).to_csv(index=False).encode("utf-8"), 6)


def _unpack(blob: bytes) -> pd.DataFrame:
    text = zlib.decompress(blob).decode("utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


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
        settings = Settings(title=meta["title"], consultant_capacity_hours=float(meta["consultant_capacity_hours"]))
        names = {name: f"revision {number}, {spec.label}" for name, spec in TABLES.items()}
        return int(number), build_plan(raw, settings=settings, names=names)

    def save(self, plan: Plan, *, base: int | None, editor: str | None, comment: str = "") -> int:
        """Save `plan` as the revision after `base` and return its number.

        Raises EditorRequiredError without an editor identity, and StaleRevisionError when someone saved after
        `base`; in both cases nothing is written.
        """
        if not editor or not editor.strip():
            raise EditorRequiredError("Kun redaktører kan gemme planen; log ind som redaktør")
        number = (base or 0) + 1
        try:
            with self._begin() as conn:
                latest = conn.execute(select(func.max(revisions.c.number))).scalar()
                if latest != base:
                    raise _ConflictError
                conn.execute(
                    insert(revisions).values(
                        number=number,
                        saved_at=dt.datetime.now(dt.UTC),
                        editor=editor.strip(),
                        comment=comment.strip(),
                        based_on=base,
                        title=plan.settings.title,
                        consultant_capacity_hours=plan.settings.consultant_capacity_hours,
                    )
                )
                conn.execute(
                    insert(plan_tables),
                    [{"revision": number, "name": name, "csv": _pack(frame)} for name, frame in plan.tables().items()],
                )
        except (_ConflictError, IntegrityError):  # IntegrityError: a concurrent save took the same number
            raise self._stale(base) from None
        return number

    def _stale(self, base: int | None) -> StaleRevisionError:
        newer = [r for r in self.history() if base is None or r.number > base]
        newer.reverse()
        changes = pd.DataFrame(columns=["what", "change"])
        if base is not None and newer:
            changes = diff_plans(self.load(base)[1], self.load(newer[-1].number)[1])
        return StaleRevisionError(base, newer, changes)

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
