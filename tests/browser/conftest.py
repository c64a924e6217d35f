"""Fixtures of the browser tests: one ``satupintu serve`` for the whole run, Debian's Chromium.

The service runs as it would on a fresh install (its own data dir, SQLite, the CLI's first
admin). Tests save screenshots at phone (390 px) and desktop (1280 px) width under
``docs/console/`` with ``shot``; the README links them. Each flow runs once per width, so the
names it creates (users, units) carry the width to stay apart.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

playwright_api = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]'")

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "docs" / "console"
CHROMIUM = Path("/usr/bin/chromium")
WIDTHS = {"ponsel": 390, "desktop": 1280}
SATUPINTU = str(Path(sys.executable).with_name("satupintu"))


@dataclass(frozen=True)
class Served:
    base: str
    env: dict[str, str]

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [SATUPINTU, *args], env=self.env, capture_output=True, text=True, check=False
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    data = tmp_path_factory.mktemp("browser-data")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("SATUPINTU_")}
    env |= {
        "SATUPINTU_DATA_DIR": str(data),
        "SATUPINTU_KEYS_DIR": str(data / "keys"),
        "SATUPINTU_CONVERTERS": "1",
    }
    log_path = data / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [SATUPINTU, "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 180  # against a hung start-up, not a speed test
            while True:
                assert process.poll() is None, log_path.read_text()
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=30):  # noqa: S310
                        break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline, log_path.read_text()
                    time.sleep(0.2)
            yield Served(base, env | {"SATUPINTU_PUBLIC_URL": base})
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


# Per module, not per session: Playwright's sync API keeps an event loop running in the main
# thread while it is open, and tests collected after the browser tests call asyncio.run().
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "Chromium is needed: bash .ci/system-packages installs it"
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def shot(page: Any, name: str, width: str) -> None:
    """Save a full-page screenshot as ``docs/console/<name>-<width>.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def new_page(browser: Any, width: str) -> Any:
    """A fresh browser context (no cookies) at the given width, in Indonesian."""
    context = browser.new_context(viewport={"width": WIDTHS[width], "height": 800}, locale="id-ID")
    return context.new_page()


def create_user(served: Served, username: str, role: str, *args: str) -> str:
    """Create an account with the CLI; returns its one-time password."""
    created = served.cli("user", "create", username, "--role", role, *args)
    assert created.returncode == 0, created.stderr
    return created.stdout.strip().splitlines()[-1]


def sign_in(page: Any, served: Served, username: str, password: str) -> None:
    page.goto(f"{served.base}/konsol/masuk")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    playwright_api.expect(page.get_by_role("heading", name="Beranda", exact=True)).to_be_visible()


def no_sideways_scroll(page: Any) -> None:
    """Nothing is wider than the screen: a phone never scrolls sideways."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
