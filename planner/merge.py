"""Three-way merge of two editors' plans against the revision both started from, row by row.

Every table of `schema.TABLES` is merged by its key, so tables and columns added to the schema
merge without code here. A row changed on one side only is taken from that side; a row changed on
both sides to different values is a conflict, settled by a per-row choice (`mine` or `theirs`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from .files import table_to_text
from .model import Plan, Settings, build_plan
from .schema import TABLES

__all__ = [
    "SETTINGS_TABLE",
    "Choice",
    "MergeResult",
    "RowConflict",
    "describe",
    "describe_key",
    "merge_plans",
    "merge_tables",
    "text_tables",
]

Choice = Literal["mine", "theirs"]
Row = tuple[str, ...]
Key = tuple[str, ...]
SETTINGS_TABLE = "settings"  # the plan-wide settings merge like a table of one row per field


@dataclass(frozen=True)
class RowConflict:
    """One row both sides changed differently: its table, key and the three versions (None = absent)."""

    table: str
    key: Key
    base: dict[str, str] | None
    mine: dict[str, str] | None
    theirs: dict[str, str] | None
    # True when a side changed a key column (a unit moved to another wave): the row is named by its first key column.
    rekeyed: bool = False

    @property
    def ident(self) -> tuple[str, Key]:
        """Return (table, key): what a choice is given for."""
        return self.table, self.key

    def changed_columns(self) -> list[str]:
        """Return the columns where mine and theirs differ (all of them when one side removed the row)."""
        if self.mine is None or self.theirs is None:
            return list((self.mine or self.theirs or {}).keys())
        return [c for c in self.mine if self.mine.get(c) != self.theirs.get(c)]


@dataclass(frozen=True, eq=False)
class MergeResult:
    """The merged text tables and settings, the conflicts left, and how many rows came from theirs."""

    tables: dict[str, pd.DataFrame]
    settings: dict[str, str]
    conflicts: list[RowConflict]
    taken_from_theirs: int
    taken_from_mine: int


def text_tables(plan: Plan) -> dict[str, pd.DataFrame]:
    """Return every table of `plan` as text (the form revisions are stored in)."""
    return {name: table_to_text(frame) for name, frame in plan.tables().items()}


def settings_text(settings: Settings) -> dict[str, str]:
    """Return every plan-wide setting as text, by field name: how revisions keep and merge them."""
    return {f.name: str(getattr(settings, f.name)) for f in dataclasses.fields(settings)}


def _rows(frame: pd.DataFrame | None, name: str) -> tuple[list[Key], dict[Key, Row]]:
    """Return a table's keys in order and its rows as text tuples in schema column order.

    A table absent from a stored revision is empty, and a column absent from it is empty text, so
    revisions written before a table or column existed merge with newer ones.
    """
    spec = TABLES[name]
    columns = spec.column_names
    if frame is None or frame.empty:
        return [], {}
    arrays = [
        frame[c].to_numpy(dtype=object, na_value="") if c in frame.columns else [""] * len(frame) for c in columns
    ]
    positions = [columns.index(k) for k in spec.key]
    rows: dict[Key, Row] = {}
    for values in zip(*arrays, strict=True):
        row = tuple(v if isinstance(v, str) else str(v) for v in values)
        rows[tuple(row[i] for i in positions)] = row
    return list(rows), rows


def _rekeys(key_length: int, base: dict[Key, Row], side: dict[Key, Row]) -> dict[Key, Key]:
    """Return base key -> new key for rows a side changed a later key column of (a unit moved to wave 3).

    With a composite key such as (unit, wave), changing the wave removes one key and adds another;
    paired by their first key column (and only when the pairing is unique) it is one row changed.
    """
    if key_length < 2:
        return {}
    removed: dict[str, list[Key]] = {}
    for key in base:
        if key not in side:
            removed.setdefault(key[0], []).append(key)
    if not removed:
        return {}
    added: dict[str, list[Key]] = {}
    for key in side:
        if key[0] in removed and key not in base:
            added.setdefault(key[0], []).append(key)
    return {old[0]: new[0] for first, old in removed.items() if len(old) == 1 and len(new := added.get(first, [])) == 1}


def _merge_rows(
    name: str,
    columns: list[str],
    base: dict[Key, Row],
    mine_order: list[Key],
    mine: dict[Key, Row],
    theirs_order: list[Key],
    theirs: dict[Key, Row],
    resolutions: Mapping[tuple[str, Key], Choice],
    conflicts: list[RowConflict],
) -> tuple[list[Row], int, int]:
    def as_dict(row: Row | None) -> dict[str, str] | None:
        return None if row is None else dict(zip(columns, row, strict=True))

    result: dict[Key, Row | None] = {}
    from_theirs = from_mine = 0
    key_length = len(TABLES[name].key)
    moved_m, moved_t = _rekeys(key_length, base, mine), _rekeys(key_length, base, theirs)
    handled: set[Key] = set()
    for key in dict.fromkeys([*moved_m, *moved_t]):
        # One row, changed on both sides where at least one side changed its key: compare whole versions.
        original = (key, base[key])
        m_key, t_key = moved_m.get(key, key), moved_t.get(key, key)
        m_version, t_version = (m_key, mine.get(m_key)), (t_key, theirs.get(t_key))
        if m_version == t_version or original in (m_version, t_version):
            continue  # not a conflict: the per-key pass below gives the same result
        handled.update({key, m_key, t_key})
        choice = resolutions.get((name, key))
        if choice is None:
            conflicts.append(
                RowConflict(name, key, as_dict(base[key]), as_dict(m_version[1]), as_dict(t_version[1]), rekeyed=True)
            )
        winner = m_version if choice == "mine" else t_version
        for k in (key, m_key, t_key):
            result[k] = winner[1] if k == winner[0] else None
        from_mine += choice == "mine"
        from_theirs += choice == "theirs"
    for key in dict.fromkeys([*mine_order, *theirs_order]):
        if key in handled:
            continue
        b, m, t = base.get(key), mine.get(key), theirs.get(key)
        if m == t or t == b:
            result[key] = m
            from_mine += m != b
        elif m == b:
            result[key] = t
            from_theirs += 1
        else:
            choice = resolutions.get((name, key))
            if choice is None:
                conflicts.append(RowConflict(name, key, as_dict(b), as_dict(m), as_dict(t)))
            result[key] = m if choice == "mine" else t
            from_mine += choice == "mine"
            from_theirs += choice == "theirs"
    # Keep the editor's own row order; rows only the other side added go in after their neighbour there.
    after: dict[Key | None, list[Key]] = {}
    previous: Key | None = None
    for key in theirs_order:
        if key not in mine:
            after.setdefault(previous, []).append(key)
        else:
            previous = key
    ordered: list[Row] = []

    def emit(key: Key) -> None:
        row = result.get(key)
        if row is not None:
            ordered.append(row)

    for key in after.get(None, []):
        emit(key)
    for key in mine_order:
        emit(key)
        for extra in after.get(key, []):
            emit(extra)
    return ordered, from_theirs, from_mine


def merge_tables(
    base: Mapping[str, pd.DataFrame],
    mine: Mapping[str, pd.DataFrame],
    theirs: Mapping[str, pd.DataFrame],
    *,
    base_settings: Mapping[str, str] | None = None,
    mine_settings: Mapping[str, str] | None = None,
    theirs_settings: Mapping[str, str] | None = None,
    resolutions: Mapping[tuple[str, Key], Choice] | None = None,
) -> MergeResult:
    """Merge text tables three ways by each table's key; conflicts not settled by `resolutions` are listed.

    A caller that knows a table is unchanged on one side may pass the very same DataFrame object for
    that side and the base: the other side's table is then taken whole, without comparing rows.
    """
    resolutions = resolutions or {}
    conflicts: list[RowConflict] = []
    tables: dict[str, pd.DataFrame] = {}
    from_theirs = from_mine = 0
    for name, spec in TABLES.items():
        columns = spec.column_names
        b_frame, m_frame, t_frame = base.get(name), mine.get(name), theirs.get(name)
        whole = m_frame if t_frame is b_frame or t_frame is m_frame else t_frame if m_frame is b_frame else None
        if whole is not None:
            tables[name] = whole
            continue
        _, b = _rows(base.get(name), name)
        m_order, m = _rows(mine.get(name), name)
        t_order, t = _rows(theirs.get(name), name)
        if m == t:  # the common case for most tables: nothing to do
            rows = [m[k] for k in m_order]
        else:
            rows, n_theirs, n_mine = _merge_rows(name, columns, b, m_order, m, t_order, t, resolutions, conflicts)
            from_theirs += n_theirs
            from_mine += n_mine
        tables[name] = pd.DataFrame(rows, columns=columns, dtype="object")

    settings: dict[str, str] = {}
    b_s, m_s, t_s = dict(base_settings or {}), dict(mine_settings or {}), dict(theirs_settings or {})
    for field in dict.fromkeys([*m_s, *t_s]):
        bv, mv, tv = b_s.get(field), m_s.get(field), t_s.get(field)
        if mv == tv or tv == bv:
            value = mv
        elif mv == bv:
            value, from_theirs = tv, from_theirs + 1
        else:
            choice = resolutions.get((SETTINGS_TABLE, (field,)))
            if choice is None:
                conflicts.append(
                    RowConflict(
                        SETTINGS_TABLE,
                        (field,),
                        None if bv is None else {field: bv},
                        None if mv is None else {field: mv},
                        None if tv is None else {field: tv},
                    )
                )
            value = mv if choice == "mine" else tv
        if value is not None:
            settings[field] = value
    return MergeResult(tables, settings, conflicts, from_theirs, from_mine)


def settings_from_text(values: Mapping[str, object], fallback: Settings) -> Settings:
    """Return `fallback` with the settings `values` names (text, as stored) put in."""
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(fallback):
        if f.name in values:
            current = getattr(fallback, f.name)
            value = str(values[f.name])
            kwargs[f.name] = value if isinstance(current, str) else type(current)(float(value))
    return dataclasses.replace(fallback, **kwargs)


def merge_plans(
    base: Plan,
    mine: Plan,
    theirs: Plan,
    *,
    resolutions: Mapping[tuple[str, Key], Choice] | None = None,
    names: Mapping[str, str] | None = None,
) -> tuple[Plan | None, MergeResult]:
    """Merge three plans; return the validated merged plan (None while conflicts remain) and the details.

    Raises PlanError when the merged tables do not form a valid plan (for example a row one side
    added refers to a row the other side removed).
    """
    result = merge_tables(
        text_tables(base),
        text_tables(mine),
        text_tables(theirs),
        base_settings=settings_text(base.settings),
        mine_settings=settings_text(mine.settings),
        theirs_settings=settings_text(theirs.settings),
        resolutions=resolutions,
    )
    if result.conflicts:
        return None, result
    settings = settings_from_text(result.settings, theirs.settings)
    return build_plan(result.tables, settings=settings, names=names), result


# Key columns users know by a name: where to look the name up.
_NAMES = {
    "unit_id": ("units", "name"),
    "department_id": ("departments", "name"),
    "activity_id": ("template", "title"),
    "task_id": ("tasks", "title"),
    "milestone_id": ("milestones", "title"),
}
_SETTING_LABELS = {
    "title": "planens titel",
    "consultant_capacity_hours": "økonomikonsulenternes kapacitet",
    "move_weeks": "genplanlægningens rækkevidde i uger",
}


def describe(conflict: RowConflict, tables: Mapping[str, pd.DataFrame]) -> str:
    """Return the row of a conflict as a user knows it, by name."""
    key = conflict.key[:1] if conflict.rekeyed else conflict.key
    return describe_key(conflict.table, key, tables)


def describe_key(table: str, key: Key, tables: Mapping[str, pd.DataFrame]) -> str:
    """Return the row a user knows: `Enheder i bølger: Kultur & Fritid, bølge 3`, names rather than ids."""
    if table == SETTINGS_TABLE:
        return f"Indstillinger: {_SETTING_LABELS.get(key[0], key[0])}"
    spec = TABLES[table]
    parts = []
    for column, value in zip(spec.key, key, strict=False):
        label = next((c.label for c in spec.columns if c.name == column), column)
        lookup = _NAMES.get(column)
        name = ""
        if lookup and lookup[0] in tables:
            source = tables[lookup[0]]
            id_column = TABLES[lookup[0]].key[0]
            hit = source.loc[source[id_column].astype("string") == value, lookup[1]]
            name = str(hit.iloc[0]) if len(hit) else ""
        if name:
            parts.append(name)
        elif column == "wave":
            parts.append(f"{label} {value}")
        else:
            parts.append(value)
    return f"{spec.label}: {', '.join(parts)}"
