"""PDF operations, each taking and returning bytes (or paths, for merging).

``metadata`` writes the number, verify URL and key id into a PDF, ``stamping`` puts the QR stamp
on an outside PDF, ``merging`` joins a batch's PDFs in a child process, ``uploads`` checks an
uploaded file before it is stamped.
"""

from registry.adapters.pdf.merging import merge_files, merge_in_process
from registry.adapters.pdf.metadata import KEY_ID_KEY, NUMBER_KEY, VERIFY_URL_KEY, with_metadata
from registry.adapters.pdf.stamping import STAMP_MARGIN_MM, stamp
from registry.adapters.pdf.uploads import check_upload

__all__ = [
    "KEY_ID_KEY",
    "NUMBER_KEY",
    "STAMP_MARGIN_MM",
    "VERIFY_URL_KEY",
    "check_upload",
    "merge_files",
    "merge_in_process",
    "stamp",
    "with_metadata",
]
