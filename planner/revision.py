"""What a save tells its caller: revisions with who and when, the outcome of a save, and why it was refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from .errors import PlanError, Problem
from .merge import Key, RowConflict
from .model import Plan

__all__ = ["COPENHAGEN", "Conflict", "EditorRequiredError", "Revision", "Saved", "StaleRevisionError"]

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class EditorRequiredError(PermissionError):
    """A save without an editor identity: only editors may change the plan."""


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

    @property
    def merged(self) -> bool:
        """True when this save merged its editor's changes with revisions saved after their base."""
        return self.based_on is not None and self.based_on < self.number - 1


@dataclass(frozen=True)
class Conflict:
    """A row both editors changed: the row by name, both versions, and the revision that changed theirs."""

    row: RowConflict
    label: str
    changed_in: Revision | None

    @property
    def ident(self) -> tuple[str, Key]:
        """Return what a "behold mine / tag deres" choice is given for."""
        return self.row.ident

    def __str__(self) -> str:
        who = self.changed_in
        by = f" – ændret af {who.editor} i revision {who.number} ({who.local_time})" if who else ""
        return f"{self.label}{by}"


@dataclass(frozen=True, eq=False)
class Saved:
    """The outcome of a save: the new revision, and the revisions its changes were merged with."""

    number: int
    merged_with: tuple[Revision, ...]
    plan: Plan

    @property
    def message(self) -> str:
        """Return what a user is told, in Danish."""
        if not self.merged_with:
            return f"Gemt som revision {self.number}."
        others = ", ".join(f"revision {r.number} ({r.editor}, {r.local_time})" for r in self.merged_with)
        return f"Gemt som revision {self.number}. Dine ændringer er flettet med {others}."


class StaleRevisionError(PlanError):
    """A save that cannot be merged with what others saved since its base: says which rows, who and when.

    `conflicts` lists rows both editors changed (settled by a per-row choice and saving again);
    `problems` says why merged changes would not form a valid plan. Nothing has been written.
    """

    def __init__(
        self,
        base: int | None,
        newer: list[Revision],
        changes: pd.DataFrame,
        conflicts: list[Conflict] | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.base = base
        self.newer = newer
        self.changes = changes
        self.conflicts = conflicts or []
        self.merge_problems = problems or []
        who = "; ".join(
            f"revision {r.number} gemt af {r.editor} {r.local_time}" + (f" ({r.comment})" if r.comment else "")
            for r in newer
        )
        message = f"Planen er ændret, siden du begyndte at redigere (du tog udgangspunkt i revision {base}): {who}."
        if self.conflicts:
            rows = "; ".join(str(c) for c in self.conflicts)
            both = "Denne række er" if len(self.conflicts) == 1 else f"Disse {len(self.conflicts)} rækker er"
            message += f" {both} ændret både af dig og af en anden: {rows}."
            message += " Vælg for hver række 'behold mine' eller 'tag deres', og gem igen."
        elif self.merge_problems:
            message += " Ændringerne kan ikke flettes: " + "; ".join(str(p) for p in self.merge_problems) + "."
        else:
            what = "; ".join(f"{c['what']}: {c['change']}" for c in changes.head(5).to_dict("records"))
            more = f" og {len(changes) - 5} ændringer mere" if len(changes) > 5 else ""
            if what:
                message += f" Ændret: {what}{more}."
        message += " Intet er gemt; dine ændringer står stadig i formularen."
        super().__init__(Problem("", None, None, message))
