"""The file check, ``POST /api/v1/verify/file`` with a ~300 KB issued PDF, against a bare upload.

    python -m bench.file_check [--kb 300] [--seconds 10] [--connections 16] [--rounds 2]
                               [--database-url URL]

The PDF: one A4 page made with reportlab around an incompressible (random) image sized so the
file is about ``--kb``, numbered and stamped by the service itself (``POST /api/v1/documents/
stamp``), so the check finds a byte-for-byte match and answers ``valid``, the expensive answer.

The baseline: a bare Litestar app (``bare_upload_app`` below, uvicorn, one worker) whose only
endpoint reads the same multipart body and hashes the file, as the service's handler does before
it looks the hash up. Both use a synchronous handler in a worker thread, as the service does, so
the ratio is what the service adds over the framework's own multipart handling: the lookup, the
signature check and the rest of the verification, middleware and headers. (An in-process SHA-256
of the bytes would leave out the multipart parsing both pay and make the ratio meaningless.)

wrk (``--connections``, two threads) drives both in alternating rounds; printed: requests per
second, p50 and p99 per side, and the ratio of the rates.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
from litestar import Litestar, post
from litestar.datastructures import UploadFile
from litestar.params import MultipartBody

from bench.report import ratio, table
from bench.run import REPO, _free_port, _issuer_key, _Service, _single_body, service_env
from bench.wrk import WrkResult, run_wrk
from registry.bootstrap import initialize
from registry.settings import Settings

BOUNDARY = "satupintu-bench-boundary"


@dataclass
class _Upload:
    file: UploadFile


@post("/upload", sync_to_thread=True)
def _hash_upload(data: MultipartBody[_Upload]) -> dict[str, str]:
    return {"sha256": hashlib.sha256(data.file.file.read()).hexdigest()}


bare_upload_app = Litestar([_hash_upload], request_max_body_size=25_000_000)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.file_check")
    parser.add_argument("--kb", type=int, default=300, help="size of the PDF to check")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per round")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of both")
    parser.add_argument("--database-url", help="PostgreSQL URL (default: embedded SQLite)")
    args = parser.parse_args(argv)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    print(run(args.kb, args.seconds, args.connections, args.rounds, args.database_url))
    return 0


def run(kb: int, seconds: int, connections: int, rounds: int, url: str | None) -> str:
    with tempfile.TemporaryDirectory(prefix="satupintu-filecheck-") as scratch:
        root = Path(scratch)
        env = {**service_env(root, url), "SATUPINTU_VERIFY_RATE_LIMIT": "0"}
        settings = Settings.from_env(env)
        initialize(settings)
        secret = _issuer_key(settings)
        service = _Service(env)
        bare = _BareServer()
        try:
            stamped = _issued_pdf_of_size(service, secret, kb * 1000)
            body = root / "body.bin"
            body.write_bytes(multipart_body(stamped))
            script = root / "upload.lua"
            script.write_text(wrk_script(body))
            answer = service.client.post(
                "/api/v1/verify/file", files={"file": ("a.pdf", stamped, "application/pdf")}
            )
            if answer.status_code != 200 or answer.json()["status"] != "valid":
                raise RuntimeError(f"the file check did not match: {answer.text[:300]}")
            print(f"  the stamped PDF: {len(stamped) / 1000:.0f} KB, checked as valid")
            results: dict[str, list[WrkResult]] = {"bare": [], "service": []}
            targets = {
                "bare": f"http://127.0.0.1:{bare.port}/upload",
                "service": f"http://127.0.0.1:{service.port}/api/v1/verify/file",
            }
            for round_ in range(rounds):
                for side, target in targets.items():
                    result = run_wrk(
                        target, seconds=seconds, connections=connections, script=script
                    )
                    if result.failed:
                        raise RuntimeError(f"{side}: {result.failed} requests failed")
                    results[side].append(result)
                    print(f"  round {round_ + 1} {side}: {result.requests_per_second:.1f} req/s")
        finally:
            service.stop()
            bare.stop()
    return file_check_report(results, len(stamped), connections)


def file_check_report(results: dict[str, list[WrkResult]], size: int, connections: int) -> str:
    rows = []
    for side, label in (
        ("bare", "bare Litestar upload + SHA-256 (uvicorn)"),
        ("service", "POST /api/v1/verify/file (valid)"),
    ):
        runs = results[side]
        rows.append(
            (
                label,
                f"{statistics.mean(r.requests_per_second for r in runs):.1f}",
                f"{statistics.mean(r.p50_ms for r in runs):.1f}",
                f"{max(r.p99_ms for r in runs):.1f}",
            )
        )
    rate = ratio(
        statistics.mean(r.requests_per_second for r in results["service"]),
        statistics.mean(r.requests_per_second for r in results["bare"]),
    )
    heading = f"file check, {size / 1000:.0f} KB PDF, {connections} connections"
    return "\n".join(
        [
            table((heading, "req/s", "p50 ms", "p99 ms"), rows),
            f"file check / bare upload: {rate:.2f} x (no goal set; the issue asks for the figure)",
        ]
    )


def padded_pdf(size: int) -> bytes:
    """A one-page A4 letter carrying a random (incompressible) image, about ``size`` bytes."""
    from PIL import Image
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    side = max(8, int((max(size - 4000, 0) / 3) ** 0.5))
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.drawString(72, 780, "Sertifikat pelatihan (berkas uji beban)")
    page.drawImage(ImageReader(image), 72, 300, width=400, height=400)
    page.showPage()
    page.save()
    return buffer.getvalue()


def multipart_body(pdf: bytes) -> bytes:
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="dokumen.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return head + pdf + f"\r\n--{BOUNDARY}--\r\n".encode()


def wrk_script(body: Path) -> str:
    """A wrk script posting the multipart body kept in the file ``body``."""
    return (
        f'local f = assert(io.open({json.dumps(str(body))}, "rb"))\n'
        'wrk.body = f:read("*all")\n'
        "f:close()\n"
        'wrk.method = "POST"\n'
        f'wrk.headers["Content-Type"] = "multipart/form-data; boundary={BOUNDARY}"\n'
    )


def _issued_pdf_of_size(service: _Service, secret: str, size: int) -> bytes:
    """A stamped PDF within 10 % of ``size``: reportlab's ASCII85 and the stamp add to the
    image's bytes, so the request is rescaled by what came back (each try takes a number)."""
    request = size
    for _ in range(4):
        stamped = _issued_pdf(service, secret, padded_pdf(request))
        if abs(len(stamped) - size) <= size / 10:
            return stamped
        request = int(request * size / len(stamped))
    raise RuntimeError(f"could not make a stamped PDF of about {size} bytes")


def _issued_pdf(service: _Service, secret: str, upload: bytes) -> bytes:
    response = service.client.post(
        "/api/v1/documents/stamp",
        headers={"Authorization": f"Bearer {secret}"},
        files={"file": ("sertifikat.pdf", upload, "application/pdf")},
        data={"document": json.dumps(_single_body())},
    )
    if response.status_code != 201:
        raise RuntimeError(f"stamping failed: {response.status_code} {response.text[:300]}")
    return response.content


class _BareServer:
    def __init__(self) -> None:
        self.port = _free_port()
        self.process = subprocess.Popen(  # noqa: S603 - uvicorn serving the app above
            [sys.executable, "-m", "uvicorn", "bench.file_check:bare_upload_app",
             "--port", str(self.port), "--log-level", "warning", "--no-access-log"],
            cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{self.port}/upload", timeout=2)
                return
            except httpx.TransportError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("the bare upload app did not start") from None
                time.sleep(0.3)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


if __name__ == "__main__":
    raise SystemExit(main())
