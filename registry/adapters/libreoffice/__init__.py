"""DOCX to PDF/A-2b through warm LibreOffice processes.

``toolchain`` finds LibreOffice and a uno-capable Python, ``processes`` handles a slot's process
group, ``slot`` runs one unoserver and its LibreOffice, ``pool`` shares the slots among callers.
"""

from registry.adapters.libreoffice.pool import (
    PDF_FILTER_OPTIONS,
    ConversionError,
    Converter,
    LibreOfficePool,
    PoolStatus,
    UnavailableConverter,
    build_converter,
)
from registry.adapters.libreoffice.slot import SlotStatus
from registry.adapters.libreoffice.toolchain import NO_LIBREOFFICE, Toolchain, find_toolchain

__all__ = [
    "NO_LIBREOFFICE",
    "PDF_FILTER_OPTIONS",
    "ConversionError",
    "Converter",
    "LibreOfficePool",
    "PoolStatus",
    "SlotStatus",
    "Toolchain",
    "UnavailableConverter",
    "build_converter",
    "find_toolchain",
]
