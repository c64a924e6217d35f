"""Where LibreOffice and a Python that can ``import uno`` are found on this machine.

Each pool slot runs ``unoserver.server`` under a uno-capable Python (Debian's ``/usr/bin/python3``
with python3-uno), not the venv's: the venv provides only the unoserver package, linked into a
directory of its own so the system Python does not see the rest of the venv.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_UNO_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
_SOFFICE_FALLBACK = "/usr/lib/libreoffice/program/soffice"
NO_LIBREOFFICE = "LibreOffice tidak terpasang: hanya DOCX yang diterbitkan"


@dataclass(frozen=True)
class Toolchain:
    """What a slot runs: a uno-capable Python, soffice, and the venv's unoserver package."""

    python: Path
    soffice: Path
    unoserver: Path  # the package directory
    unoserver_dist: Path | None  # its .dist-info: unoserver reads its own version at start

    @classmethod
    def create(cls, *, python: Path, soffice: Path) -> Toolchain:
        import unoserver

        package = Path(unoserver.__file__).resolve().parent
        dist = next(iter(sorted(package.parent.glob("unoserver-*.dist-info"))), None)
        return cls(python=python, soffice=soffice, unoserver=package, unoserver_dist=dist)

    @staticmethod
    def imports_uno(python: str) -> bool:
        try:
            done = subprocess.run(  # noqa: S603 - a fixed interpreter path, no shell
                [python, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return done.returncode == 0

    def python_path(self, directory: Path) -> Path:
        """A directory holding only unoserver: the system Python must not see the venv."""
        directory.mkdir(parents=True, exist_ok=True)
        for target in (self.unoserver, self.unoserver_dist):
            if target is not None:
                link = directory / target.name
                link.unlink(missing_ok=True)
                link.symlink_to(target, target_is_directory=True)
        return directory


def find_toolchain(uno_python: Path | None = None) -> Toolchain | str:
    """The uno-capable Python and soffice, or (in Indonesian) why PDF conversion is off.

    ``uno_python`` (``Settings.uno_python``) is tried before the usual places.
    """
    soffice = shutil.which("soffice") or (
        _SOFFICE_FALLBACK if os.access(_SOFFICE_FALLBACK, os.X_OK) else None
    )
    if soffice is None:
        return NO_LIBREOFFICE
    candidates = ([str(uno_python)] if uno_python else []) + list(_UNO_PYTHONS)
    for python in candidates:
        if os.access(python, os.X_OK) and Toolchain.imports_uno(python):
            return Toolchain.create(python=Path(python), soffice=Path(soffice))
    return (
        "LibreOffice terpasang tetapi modul Python 'uno' tidak ada (pasang python3-uno): "
        "hanya DOCX yang diterbitkan"
    )
