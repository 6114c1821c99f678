"""Real app servers and a real browser for the tests: `streamlit run` on a free port, Debian's chromium."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    """Return a TCP port on the loopback interface that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(script: str, env: Mapping[str, str], port: int, *, timeout: float = 60) -> subprocess.Popen[bytes]:
    """Start `streamlit run script` on 127.0.0.1:`port` and return once it answers its health check."""
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    server = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("streamlit did not start") from None
            time.sleep(0.3)


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop a server started by `start`."""
    server.terminate()
    server.wait(timeout=30)


@contextmanager
def serving(script: str, env: Mapping[str, str], port: int | None = None) -> Iterator[str]:
    """Run `script` for the duration of the block; yield its address."""
    port = port or free_port()
    server = start(script, env, port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(server)


@contextmanager
def chromium() -> Iterator[Any]:
    """Yield a headless Debian chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield browser
        browser.close()
