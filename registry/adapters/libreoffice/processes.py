"""A slot's process group: who is in it, whether a process still runs, stopping all of it.

A slot's ``unoserver`` is started as a process-group leader, so the group holds the LibreOffice
processes it starts (oosplash, soffice.bin) and killing the group leaves nothing behind. Linux
``/proc`` is read directly: it is the only place that lists a group's members.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    # The kernel picks an unused port; the tiny race until unoserver binds it is caught at
    # start-up (the server exits) and the slot is relaunched on the next use.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def proc_stat(pid: int) -> tuple[str, str, int] | None:
    """(command name, state, process group) from /proc, or None if the process is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    return name, fields[0], int(fields[2])


def running(pid: int) -> bool:
    stat = proc_stat(pid)
    return stat is not None and stat[1] not in ("Z", "X")  # a zombie no longer runs


def group_members(pgid: int) -> list[int]:
    """Running processes of a process group (Linux /proc; empty elsewhere)."""
    members = []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                stat = proc_stat(int(entry.name))
                if stat is not None and stat[2] == pgid and stat[1] not in ("Z", "X"):
                    members.append(int(entry.name))
    return members


def group_member(pgid: int, name: str) -> int | None:
    for pid in group_members(pgid):
        stat = proc_stat(pid)
        if stat is not None and stat[0] == name:
            return pid
    return None


def stop_group(process: subprocess.Popen[bytes], soffice: int | None, *, graceful: bool) -> None:
    """Stop unoserver and every process it started (oosplash, soffice.bin)."""
    if graceful:
        # SIGTERM lets soffice close its profile cleanly; oosplash ignores it, hence the SIGKILL.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 3
        while soffice is not None and running(soffice) and time.monotonic() < deadline:
            time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)
