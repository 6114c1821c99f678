"""Which revision each calendar event last changed in: its SEQUENCE and LAST-MODIFIED.

Given each revision's event fingerprints (`calendar_export.calendar_events`), oldest first, an
event's version is the revision from which its fingerprint has stayed the same. Revisions are
folded one at a time (`advance_versions`), so a caller that remembers the newest result only
needs the fingerprints of the revisions saved since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = ["Version", "advance_versions", "event_versions"]


@dataclass(frozen=True)
class Version:
    """The revision an event last changed in (its SEQUENCE) and when that revision was saved."""

    sequence: int
    modified: dt.datetime


def advance_versions(
    previous: Mapping[str, Version],
    previous_fingerprints: Mapping[str, str],
    fingerprints: Mapping[str, str],
    version: Version,
) -> dict[str, Version]:
    """Return the versions after one more revision: an event new or changed in it gets `version`."""
    return {
        key: previous[key] if key in previous and previous_fingerprints.get(key) == fingerprint else version
        for key, fingerprint in fingerprints.items()
    }


def event_versions(history: Iterable[tuple[Version, Mapping[str, str]]]) -> dict[str, Version]:
    """Return each event's version from (revision, fingerprints by event key) pairs, oldest first."""
    versions: dict[str, Version] = {}
    previous: Mapping[str, str] = {}
    for version, fingerprints in history:
        versions = advance_versions(versions, previous, fingerprints, version)
        previous = fingerprints
    return versions
