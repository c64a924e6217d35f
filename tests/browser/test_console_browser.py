"""The console in a real browser: Playwright drives Debian's Chromium against ``satupintu serve``.

The service runs as it would on a fresh install (its own data dir, SQLite, the CLI's first
admin). Each step saves a screenshot at phone (390 px) and desktop (1280 px) width under
``docs/console/`` so the pages can be looked at; the README links them.
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


@pytest.fixture(scope="module")
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


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    assert CHROMIUM.exists(), "Chromium is needed: bash .ci/system-packages installs it"
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


def _shot(page: object, name: str, width: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_the_first_admin_signs_in_and_out(served: Served, browser: object, width: str) -> None:
    username = f"admin{width}"
    created = served.cli("user", "create", username, "--role", "admin", "--name", "Admin BPSDM")
    assert created.returncode == 0, created.stderr
    password = created.stdout.strip().splitlines()[-1]

    context = browser.new_context(  # type: ignore[attr-defined]
        viewport={"width": WIDTHS[width], "height": 800}, locale="id-ID"
    )
    page = context.new_page()
    expect = playwright_api.expect
    page.goto(f"{served.base}/konsol")
    assert page.url.startswith(f"{served.base}/konsol/masuk")
    expect(page.get_by_role("heading", name="Masuk ke konsol")).to_be_visible()
    _shot(page, "01-masuk", width)

    # The sign-in page puts the cursor in the username field.
    expect(page.get_by_label("Nama pengguna")).to_be_focused()

    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill("bukan kata sandinya")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_contain_text("dikunci 15 menit")
    _shot(page, "02-gagal-masuk", width)

    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("heading", name="Beranda", exact=True)).to_be_visible()
    nav = page.get_by_role("navigation", name="Menu utama")
    expect(nav).to_contain_text("Beranda")
    expect(nav).not_to_contain_text("Pengaturan")  # offered once the page exists
    expect(page.get_by_text("Admin BPSDM", exact=True)).to_be_visible()
    # Nothing is wider than the screen: a phone never scrolls sideways.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    _shot(page, "03-beranda-admin", width)

    # Keyboard first: the skip link is the first stop, visible when focused, and leads to main.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi halaman")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    _shot(page, "04-fokus-lewati", width)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.get_by_role("button", name="Keluar").click()
    expect(page.get_by_role("status")).to_contain_text("Anda sudah keluar")
    page.goto(f"{served.base}/konsol")
    assert page.url.startswith(f"{served.base}/konsol/masuk")
    context.close()
