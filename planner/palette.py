"""One colour palette for the Gantt chart and the Excel week plan, so a wave looks the same in both."""

from __future__ import annotations

__all__ = [
    "BASELINE_LINE",
    "CUTOFF_COLOUR",
    "DONE_TINT",
    "FINDING_RED",
    "GRID_GREY",
    "GROUP_FILL",
    "HOLIDAY_SHADE",
    "MILESTONE_COLOURS",
    "NO_WAVE_COLOUR",
    "OVERDUE_RED",
    "WAVE_COLOURS",
    "tint",
    "wave_colour",
]

# Colour-blind-safe (Okabe-Ito) hues, hex without '#' so openpyxl takes them as they are.
WAVE_COLOURS: tuple[str, ...] = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442")
NO_WAVE_COLOUR = "7F7F7F"  # one-off tasks that belong to no wave
MILESTONE_COLOURS: dict[str, str] = {"political": "D55E00", "administrative": "0072B2", "legal": "000000"}
HOLIDAY_SHADE = "E8E8E8"
FINDING_RED = "D62728"
CUTOFF_COLOUR = "6A3D9A"  # the data cut-off of a wave: a hue no wave or milestone uses
GROUP_FILL = "DDEBF7"  # headings and group rows
GRID_GREY = "DDDDDD"


def wave_colour(wave: int | None) -> str:
    """Return the hex colour (no '#') of wave number `wave`; grey for no wave."""
    if wave is None:
        return NO_WAVE_COLOUR
    return WAVE_COLOURS[(int(wave) - 1) % len(WAVE_COLOURS)]


# Progress marks: an overdue bar is cross-hatched in the findings' red; the baseline is a dark outline.
OVERDUE_RED = FINDING_RED
BASELINE_LINE = "404040"
DONE_TINT = 0.55  # how far a done bar's colour is lightened towards white (Excel) or faded (Gantt)


def tint(colour: str, amount: float = DONE_TINT) -> str:
    """Return `colour` (hex, no '#') lightened towards white by `amount` (0: as is, 1: white)."""
    channels = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(c + (255 - c) * amount):02X}" for c in channels)
