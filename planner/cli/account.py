"""`python -m planner hash-password`: the hash that goes into secrets, never the password."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import Any, TextIO

from ..auth import hash_password
from .common import EXIT_BAD_INPUT, EXIT_OK


def _hash_password(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    password = getpass.getpass("Adgangskode: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    if not password:
        err.write("Adgangskoden må ikke være tom\n")
        return EXIT_BAD_INPUT
    out.write(hash_password(password) + "\n")
    return EXIT_OK


def register(commands: Any, data: argparse.ArgumentParser) -> None:
    """Add `hash-password`."""
    p = commands.add_parser("hash-password", help="lav en adgangskode-hash til redaktører (læser koden fra stdin)")
    p.set_defaults(run=_hash_password)
