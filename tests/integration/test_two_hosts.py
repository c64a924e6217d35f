"""Two hosts that share only PostgreSQL (and the signing keys every host is configured with).

Each ``satupintu serve`` has its own data dir and port; what one issued, the other serves,
verifies and merges, because stored files live in the database.
"""

from __future__ import annotations

import hashlib
import io
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, make_url, text

from tests.conftest import BACKENDS, DEFAULT_POSTGRES_URL
from tests.support.drafts import batch_body, body

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif("postgresql" not in BACKENDS, reason="PostgreSQL backend not selected"),
]

SATUPINTU = str(Path(sys.executable).with_name("satupintu"))
#: Against a hung start-up or a stuck batch, not a speed test.
START_TIMEOUT = 180
BATCH_TIMEOUT = 300


@dataclass(frozen=True)
class Host:
    name: str
    base: str
    env: dict[str, str]
    log: Path

    def cli(self, *args: str) -> str:
        done = subprocess.run(
            [SATUPINTU, *args], env=self.env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
        return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def shared_database() -> Iterator[str]:
    server = make_url(os.environ.get("SATUPINTU_TEST_DATABASE_URL", DEFAULT_POSTGRES_URL))
    name = f"satupintu_hosts_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def hosts(tmp_path: Path, shared_database: str) -> Iterator[tuple[Host, Host]]:
    keys = tmp_path / "keys"  # configuration every host is given, like the database URL
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("SATUPINTU_")}
    base_env |= {
        "SATUPINTU_DATABASE_URL": shared_database,
        "SATUPINTU_KEYS_DIR": str(keys),
        "SATUPINTU_CONVERTERS": "1",
        # Behind one load balancer: the QR of a document names it, whichever host made it.
        "SATUPINTU_PUBLIC_URL": "https://verifikasi.bpsdm.example",
    }
    started: list[tuple[Host, subprocess.Popen[bytes]]] = []
    try:
        for name in ("a", "b"):
            data = tmp_path / name
            port = _free_port()
            host = Host(
                name,
                f"http://127.0.0.1:{port}",
                base_env | {"SATUPINTU_DATA_DIR": str(data)},
                tmp_path / f"serve-{name}.log",
            )
            if name == "a":
                host.cli("init")  # one signing key, made once, before either host serves
            with host.log.open("w") as log:
                process = subprocess.Popen(
                    [SATUPINTU, "serve", "--port", str(port)],
                    env=host.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            started.append((host, process))
            _wait_healthy(host, process)
        yield started[0][0], started[1][0]
    finally:
        for _, process in started:
            os.killpg(process.pid, signal.SIGTERM)
        for _, process in started:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def _wait_healthy(host: Host, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        assert process.poll() is None, host.log.read_text()
        try:
            if httpx.get(f"{host.base}/healthz", timeout=10).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, host.log.read_text()
        time.sleep(0.3)


def _client(host: Host, secret: str) -> httpx.Client:
    return httpx.Client(
        base_url=host.base, headers={"Authorization": f"Bearer {secret}"}, timeout=120
    )


def _wait_done(client: httpx.Client, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + BATCH_TIMEOUT
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}").json()
        if job["status"] != "rendering":
            return job
        time.sleep(0.5)
    raise AssertionError(f"batch {job_id} did not finish in {BATCH_TIMEOUT} s")


def _pdf(client: httpx.Client, document_id: str) -> bytes:
    response = client.get(f"/api/v1/documents/{document_id}/pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-length"] == str(len(response.content))
    return response.content


def test_what_one_host_issued_the_other_serves_verifies_and_merges(
    hosts: tuple[Host, Host],
) -> None:
    host_a, host_b = hosts
    secret = host_a.cli("apikey", "create", "--role", "issuer").strip().splitlines()[-1]
    with _client(host_a, secret) as on_a, _client(host_b, secret) as on_b:
        # One document issued on A: B serves the same bytes and recognises the file.
        issued = on_a.post("/api/v1/documents", json=body(unit_code="DPUPR"))
        assert issued.status_code == 201, issued.text
        document = issued.json()
        pdf_file = next(f for f in document["files"] if f["kind"] == "pdf")
        from_a = _pdf(on_a, document["id"])
        from_b = _pdf(on_b, document["id"])
        assert from_b == from_a
        assert hashlib.sha256(from_b).hexdigest() == pdf_file["sha256"]
        assert on_b.get(f"/api/v1/documents/{document['id']}/docx").content.startswith(b"PK")
        checked = httpx.post(
            f"{host_b.base}/api/v1/verify/file",
            files={"file": ("dokumen.pdf", from_a, "application/pdf")},
            timeout=60,
        ).json()
        assert (checked["status"], checked["matched_file"]) == ("valid", "pdf")
        assert checked["verification"]["document"]["number"] == document["number"]

        # A batch issued on A: its merged PDF and ZIP come from B.
        submitted = on_a.post("/api/v1/documents/batch", json=batch_body(4))
        assert submitted.status_code == 202, submitted.text
        job = _wait_done(on_b, submitted.json()["id"])
        assert (job["status"], job["issued"]) == ("done", 4), job
        merged = on_b.get(job["merged_pdf_url"])
        assert merged.status_code == 200
        assert merged.content == on_a.get(job["merged_pdf_url"]).content
        pages = PdfReader(io.BytesIO(merged.content)).pages
        assert len(pages) == 4
        assert job["documents"][0]["number"] in (pages[0].extract_text() or "")
        assert on_b.get(job["zip_url"]).content.startswith(b"PK")

        # A batch submitted on B: every document's PDF comes from A, as B's link says.
        submitted = on_b.post("/api/v1/documents/batch", json=batch_body(3))
        assert submitted.status_code == 202, submitted.text
        job = _wait_done(on_a, submitted.json()["id"])
        assert (job["status"], job["issued"]) == ("done", 3), job
        for ref in job["documents"]:
            view = on_b.get(f"/api/v1/documents/{ref['id']}").json()
            sha256 = next(f["sha256"] for f in view["files"] if f["kind"] == "pdf")
            assert hashlib.sha256(_pdf(on_a, ref["id"])).hexdigest() == sha256

    # Neither host kept a file in its own data dir: the database holds them all.
    for host in hosts:
        files_dir = Path(host.env["SATUPINTU_DATA_DIR"]) / "files"
        assert not files_dir.exists() or not any(files_dir.rglob("*")), host.name
