"""One log format for the service, uvicorn, the ``satupintu`` command and ``alembic``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from registry.settings import LOG_FORMAT

REPO = Path(__file__).resolve().parents[2]
# LOG_FORMAT as it prints: "2026-03-02 09:15:00,123 INFO satupintu: created signing key ..."
LOG_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: \S"
)


def assert_log_lines(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "nothing was logged"
    for line in lines:
        assert LOG_LINE.match(line), line
    return lines


def _run(tmp_path: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATUPINTU_")}
    env.update(
        SATUPINTU_DATA_DIR=str(tmp_path / "data"),
        SATUPINTU_KEYS_DIR=str(tmp_path / "keys"),
        PYTHONPATH=str(REPO),
    )
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)


def test_the_format_is_the_one_documented() -> None:
    assert LOG_FORMAT == "%(asctime)s %(levelname)s %(name)s: %(message)s"


def test_the_command_logs_in_the_format(tmp_path: Path) -> None:
    result = _run(tmp_path, sys.executable, "-m", "api.cli", "init")
    assert result.returncode == 0, result.stderr
    lines = assert_log_lines(result.stderr)
    assert any(" INFO satupintu: created signing key " in line for line in lines), lines
    assert not any("alembic" in line for line in lines)  # the service migrates quietly


def test_alembic_logs_in_the_same_format(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    alembic = str(Path(sys.executable).with_name("alembic"))
    result = _run(tmp_path, alembic, "upgrade", "head")
    assert result.returncode == 0, result.stderr
    lines = assert_log_lines(result.stderr)
    assert any(" INFO alembic.runtime.migration: Running upgrade " in line for line in lines)
