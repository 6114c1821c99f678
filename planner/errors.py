"""The planner's exceptions: each says in Danish what is wrong and where."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PlanError", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a plan's input: where (table, row, field) and what."""

    table: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = [self.table] if self.table else []
        if self.row is not None:
            where.append(f"række {self.row}")
        if self.field:
            where.append(f"felt '{self.field}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class PlanError(ValueError):
    """A plan that cannot be loaded or saved; `problems` lists every reason found."""

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("", None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
