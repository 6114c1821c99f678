"""One colour palette for the Gantt chart and the Excel week plan, so a wave looks the same in both."""

from __future__ import annotations

__all__ = [
    "CUTOFF_COLOUR",
    "FINDING_RED",
    "GRID_GREY",
    "GROUP_FILL",
    "HOLIDAY_SHADE",
    "MILESTONE_COLOURS",
    "NO_WAVE_COLOUR",
    "WAVE_COLOURS",
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
