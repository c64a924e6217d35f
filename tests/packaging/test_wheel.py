"""The package as a deployment gets it: a built wheel, installed (not editable) into a new venv.

The wheel is built offline from a copy of the source tree (``pip wheel --no-build-isolation``;
the build backend comes with the test extra), so the checkout keeps no ``build/`` directory. The
new venv sees the dependencies of the running environment through a ``.pth`` file but gets the
project itself only from the wheel; every command runs from a directory outside the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_logging import assert_log_lines
from tests.support.drafts import body

REPO = Path(__file__).resolve().parents[2]
PROJECT_PACKAGES = ("api", "registry", "migrations", "templates_docx")
# Not part of the source a wheel is built from: local environments, caches, run-time state.
_ROOT_ONLY = {".git", ".venv", "build", "dist", "data", "keys", "docs", "bench"}
_ANYWHERE = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".hypothesis"}


def _source_files(directory: str, names: list[str]) -> set[str]:
    ignored = {name for name in names if name in _ANYWHERE or name.endswith(".egg-info")}
    if Path(directory).resolve() == REPO:
        ignored |= _ROOT_ONLY & set(names)
    return ignored


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source") / "satupintu"
    shutil.copytree(REPO, source, ignore=_source_files)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"),
            *("--no-index", "--quiet", "-w", str(out), str(source)),
        ],
        check=True,
        env=_without_project_on_path(),
    )
    (built,) = out.glob("satupintu-*.whl")
    return built


def _without_project_on_path() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return {key: value for key, value in env.items() if not key.startswith("SATUPINTU_")}


def _repository_files(pattern: str) -> set[str]:
    return {
        path.relative_to(REPO).as_posix()
        for path in REPO.glob(pattern)
        if path.is_file() and "__pycache__" not in path.parts
    }


def test_wheel_ships_every_file_read_at_run_time(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    templates = _repository_files("templates_docx/*.docx")
    assets = _repository_files("templates_docx/assets/*")
    pages = _repository_files("api/templates/*.html")
    console = (
        _repository_files("api/console/templates/*.html")
        | _repository_files("api/console/static/*")
        | _repository_files("registry/adapters/data/*.txt")
    )
    docs = _repository_files("api/static/swagger-ui/*")
    migrations = _repository_files("migrations/**/*.py") | _repository_files("migrations/*.mako")
    # The lists come from the repository; a wrong glob must not make the check vacuous.
    assert {"templates_docx/sttp.docx", "templates_docx/sk.docx"} <= templates
    assert "templates_docx/assets/logo-placeholder.png" in assets
    assert "api/templates/verify.html" in pages
    assert {
        "api/console/templates/base.html",
        "api/console/static/console.css",
        "registry/adapters/data/common_passwords.txt",
    } <= console
    assert {
        "api/static/swagger-ui/swagger-ui-bundle.js",
        "api/static/swagger-ui/swagger-init.js",
        "api/static/swagger-ui/LICENSE",
    } <= docs
    assert {"migrations/env.py", "migrations/script.py.mako"} <= migrations
    assert any(name.startswith("migrations/versions/0001_") for name in migrations)
    for group in (templates, assets, pages, console, docs, migrations):
        assert group <= shipped, sorted(group - shipped)
    assert "templates_docx/__init__.py" in shipped
    tops = {name.split("/", 1)[0] for name in shipped}
    assert {top for top in tops if not top.endswith(".dist-info")} == set(PROJECT_PACKAGES)
    entry_points = next(name for name in shipped if name.endswith("entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        assert "satupintu = api.cli:main" in archive.read(entry_points).decode()


@dataclass(frozen=True)
class Installed:
    venv: Path
    site_packages: Path
    workdir: Path  # outside the repository: where every command runs

    @property
    def satupintu(self) -> str:
        return str(self.venv / "bin" / "satupintu")

    @property
    def python(self) -> str:
        return str(self.venv / "bin" / "python")

    def env(self, **settings: str) -> dict[str, str]:
        env = _without_project_on_path()
        env.update(
            SATUPINTU_DATA_DIR=str(self.workdir / "data"),
            SATUPINTU_KEYS_DIR=str(self.workdir / "keys"),
            SATUPINTU_CONVERTERS="1",
            **settings,
        )
        return env

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            args, cwd=self.workdir, env=self.env(), capture_output=True, text=True, check=False
        )


@pytest.fixture(scope="session")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    venv = tmp_path_factory.mktemp("venv") / "satupintu"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    site_packages = Path(purelib)
    # The dependencies of this environment, not the project: a plain path line in a .pth does
    # not run that directory's own .pth files, so an editable install of the project stays out.
    outer = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "dependencies.pth").write_text("\n".join(sorted(outer)) + "\n")
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"),
            *("--no-deps", "--no-index", str(wheel)),
        ],
        check=True,
        env=_without_project_on_path(),
    )
    workdir = tmp_path_factory.mktemp("elsewhere")
    assert REPO not in workdir.parents
    return Installed(venv=venv, site_packages=site_packages, workdir=workdir)


def test_project_comes_from_the_wheel_not_the_checkout(installed: Installed) -> None:
    script = (
        "import json, " + ", ".join(PROJECT_PACKAGES) + "; "
        "from registry.settings import BUNDLED_TEMPLATES_DIR; "
        "print(json.dumps({'packages': [m.__file__ for m in (" + ", ".join(PROJECT_PACKAGES) + ")],"
        " 'templates': str(BUNDLED_TEMPLATES_DIR)}))"
    )
    result = installed.run(installed.python, "-c", script)
    assert result.returncode == 0, result.stderr
    located = json.loads(result.stdout)
    for file in [*located["packages"], located["templates"]]:
        assert Path(file).is_relative_to(installed.site_packages), file
        assert not Path(file).is_relative_to(REPO), file


def test_init_and_templates_check_run_from_another_directory(installed: Installed) -> None:
    init = installed.run(installed.satupintu, "init")
    assert init.returncode == 0, init.stderr
    assert "signing key" in init.stdout
    assert (installed.workdir / "data" / "satupintu.db").is_file()
    check = installed.run(installed.satupintu, "templates", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    lines = check.stdout.splitlines()
    shipped = sorted(path.name for path in (REPO / "templates_docx").glob("*.docx"))
    for name in shipped:
        assert any(line.startswith("ok") and f" {name} " in line for line in lines), check.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310 - local
    return urllib.request.urlopen(request, timeout=60)  # noqa: S310 - our own test server


@pytest.fixture
def served(installed: Installed) -> Iterator[tuple[Installed, int]]:
    """``satupintu serve --port N`` from the wheel, outside the repository, until the test ends."""
    port = _free_port()
    log = (installed.workdir / "serve.log").open("w")
    process = subprocess.Popen(
        [installed.satupintu, "serve", "--port", str(port)],
        cwd=installed.workdir,
        env=installed.env(),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # A deadline against a hung start-up, not a speed requirement.
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, (installed.workdir / "serve.log").read_text()
            try:
                with _request(f"http://127.0.0.1:{port}/healthz"):
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, (installed.workdir / "serve.log").read_text()
                time.sleep(0.2)
        yield installed, port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def test_serve_from_the_wheel_issues_a_pdf_whose_qr_follows_the_port(
    served: tuple[Installed, int],
) -> None:
    installed, port = served
    base = f"http://127.0.0.1:{port}"
    with _request(f"{base}/healthz") as response:
        health = json.load(response)
    assert health["pdf"] == "ok", health
    # A loopback public URL and the example agency.toml: the service says so.
    assert any("SATUPINTU_PUBLIC_URL" in warning for warning in health["warnings"]), health
    assert any("agency.toml" in warning for warning in health["warnings"]), health

    created = installed.run(installed.satupintu, "apikey", "create", "--role", "issuer")
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip().splitlines()[-1]
    auth = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    with _request(f"{base}/api/v1/documents", json.dumps(body()).encode(), auth) as response:
        assert response.status == 201
        assert response.headers["Warning"].startswith("199 ")
        document = json.load(response)
    assert document["verify_url"].startswith(f"{base}/v/"), document["verify_url"]
    assert document["warnings"] == health["warnings"]
    with _request(f"{base}/api/v1/documents/{document['id']}/pdf", headers=auth) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(5) == b"%PDF-"
    # uvicorn's own lines, its access log and the service's warnings: one format.
    lines = assert_log_lines((installed.workdir / "serve.log").read_text())
    assert any(" INFO uvicorn.error: " in line for line in lines), lines
    assert any(" INFO uvicorn.access: " in line and "/healthz" in line for line in lines), lines
    assert any(" WARNING satupintu: agency.toml " in line for line in lines), lines
