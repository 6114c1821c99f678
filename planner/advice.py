"""Advice one finding at a time on the constraint model: the fewest, nearest moves, each consistent with the rest."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .constraints import ConstraintModel, Move

__all__ = ["Adviser", "View"]

View = tuple[np.ndarray, dict[int, float]]  # every activity's week, and the consultants' hours per week


class Adviser:
    """Suggests moves one finding at a time, each valid in the plan as it is and together with the
    moves suggested before it: following one suggestion, or all of them, creates no new problem."""

    def __init__(self, model: ConstraintModel) -> None:
        self.model = model
        self.now: View = (model.weeks, model.load())
        self.then: View = (model.weeks.copy(), dict(self.now[1]))
        self.planned: dict[int, tuple[Move, ...]] = {}

    def advise(self, culprits: Sequence[int], *, need: Mapping[int, float] | None = None) -> tuple[Move, ...]:
        """Return the fewest, nearest moves that leave one of `culprits` without conflict, and keep them.

        One activity moved is preferred, the nearest week first; else one of them moved together with
        the activities it then collides with ("flyt også"). `need` maps a week to the hours that must
        leave it (a capacity finding): only a culprit with that many hours may then move. An activity
        already advised keeps its advice. An empty result means no such move exists.
        """
        for c in culprits:
            if c in self.planned:
                return self.planned[c]
        m = self.model
        movable = [c for c in culprits if not m.fixed[c]]
        if need:
            movable = [c for c in movable if m.hours[c] + 1e-9 >= need.get(int(m.weeks[c]), 0.0)]
        views = [self.now, self.then]
        singles = []
        for order, c in enumerate(movable):
            week = self._nearest(c, views)
            if week is not None:
                singles.append((abs(week - int(m.weeks[c])), order, week, c))
        found: tuple[Move, ...] = ()
        if singles:
            _, _, week, c = min(singles)
            found = (Move(c, week),)
        else:
            best: tuple[tuple[int, int, int], tuple[Move, ...]] | None = None
            for order, c in enumerate(movable):
                moves = self._with_partners(c, views)
                if moves:
                    rank = (
                        abs(moves[0].week - int(m.weeks[c])),
                        order,
                        sum(abs(v.week - m.weeks[v.position]) for v in moves),
                    )
                    if best is None or rank < best[0]:
                        best = (rank, moves)
            found = best[1] if best else ()
        self.keep(found)
        return found

    def fits(self, moves: Sequence[Move]) -> bool:
        """Return True when `moves`, made together, conflict with nothing now or after the kept moves."""
        if any(mv.position in self.planned or self.model.fixed[mv.position] for mv in moves):
            return False
        trials = [(w.copy(), dict(load)) for w, load in (self.now, self.then)]
        for mv in moves:
            for view in trials:
                self._place(mv.position, mv.week, view)
        return all(not self.model.conflicts(mv.position, mv.week, *view) for mv in moves for view in trials)

    def keep(self, moves: tuple[Move, ...]) -> None:
        """Remember `moves` as advised: later advice must suit them too."""
        for mv in moves:
            self._place(mv.position, mv.week, self.then)
            self.planned[mv.position] = moves

    def _ok(self, i: int, week: int, views: Sequence[View]) -> bool:
        return all(not self.model.conflicts(i, week, *view) for view in views)

    def _nearest(self, i: int, views: Sequence[View]) -> int | None:
        if i in self.planned:
            return None
        for week in self.model.candidates(i):
            if self._ok(i, week, views):
                return week
        return None

    def _with_partners(self, i: int, views: Sequence[View]) -> tuple[Move, ...]:
        m = self.model
        for week in m.candidates(i):
            found = [c for view in views for c in m.conflicts(i, week, *view)]
            if any(c.kind != "link" for c in found):
                continue
            partners = list(dict.fromkeys(c.other for c in found))
            if any(m.fixed[p] or p in self.planned for p in partners):
                continue
            trials = [(w.copy(), dict(load)) for w, load in views]
            for view in trials:
                self._place(i, week, view)
            moves = [Move(i, week)]
            for p in partners:
                other = self._nearest(p, trials)
                if other is None:
                    break
                for view in trials:
                    self._place(p, other, view)
                moves.append(Move(p, other))
            else:
                if all(self._ok(mv.position, mv.week, trials) for mv in moves):
                    return tuple(moves)
        return ()

    def _place(self, i: int, week: int, view: View) -> None:
        weeks, load = view
        m = self.model
        if m.consultant[i] and m.hours[i] > 0:
            old = int(weeks[i])
            load[old] = load.get(old, 0.0) - float(m.hours[i])
            load[week] = load.get(week, 0.0) + float(m.hours[i])
        weeks[i] = week
