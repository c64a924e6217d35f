"""``satupintu serve`` with PDF output off, for fault tests whose point is numbers and files.

A 200-document batch through LibreOffice takes minutes on a small machine; with the converter
unavailable the service issues DOCX, as it does on a host without LibreOffice, and everything
else (the CLI, uvicorn, the app, the job queue, the store) is the real thing.
"""

from __future__ import annotations

import sys
from typing import Any

import registry.bootstrap
from api.cli import main
from registry.adapters.libreoffice import UnavailableConverter


def _no_converter(*_: Any, **__: Any) -> UnavailableConverter:
    return UnavailableConverter("PDF dimatikan untuk uji gangguan: hanya DOCX yang diterbitkan")


if __name__ == "__main__":
    registry.bootstrap.build_converter = _no_converter  # type: ignore[assignment]
    raise SystemExit(main(sys.argv[1:]))
