"""The child process of :func:`registry.adapters.pdf.merging.merge_files`.

``python -m registry.adapters.pdf LISTING OUT`` merges the PDFs listed (one path a line) into OUT
and prints the page count.
"""

import sys
from pathlib import Path

from registry.adapters.pdf.merging import merge_in_process

listed = Path(sys.argv[1]).read_text(encoding="utf-8").splitlines()
print(merge_in_process([Path(line) for line in listed if line], Path(sys.argv[2])))
