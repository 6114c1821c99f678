"""The MFR rollout and Budget 2027 planner: plan model, ISO-week scheduler, checks and exports.

Pure Python: nothing here imports Streamlit, so the app, the command line and the tests share it.
"""

from .checks import check, has_errors
from .errors import PlanError, Problem
from .files import DEFAULT_DATA_DIR, load_plan, save_plan
from .model import Plan, Settings, build_plan
from .scheduler import schedule, wave_calendar

__all__ = [
    "DEFAULT_DATA_DIR",
    "Plan",
    "PlanError",
    "Problem",
    "Settings",
    "build_plan",
    "check",
    "has_errors",
    "load_plan",
    "save_plan",
    "schedule",
    "wave_calendar",
]
