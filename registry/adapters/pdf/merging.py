"""One PDF from many, in order, for a batch: qpdf (through pikepdf) in a child process.

The child is ``python -m registry.adapters.pdf LISTING OUT`` (the package's ``__main__``, so that
the package, which imports this module, is not imported twice); it prints the page count.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pikepdf

#: Inputs merged into one intermediate file at a time: qpdf copies stream data lazily from its
#: sources, so each must stay open until the output is written; groups bound the open files.
MERGE_GROUP = 200
CHILD_MODULE = "registry.adapters.pdf"


def merge_files(paths: Iterable[Path], out: Path) -> int:
    """Concatenate PDFs in the given order into ``out``; returns the page count.

    Uses qpdf (through pikepdf): it copies pages without parsing their content and streams the
    data from the inputs while writing, so hundreds of files take a second or two where pypdf
    needed ~25 ms a file. qpdf still keeps every copied object until the output is written, so
    the merge runs in a short-lived child process: the service's memory stays the same whatever
    the batch size. ``out`` appears complete or not at all.
    """
    files = [str(path) for path in paths]
    with tempfile.NamedTemporaryFile("w", dir=out.parent, suffix=".list", delete=False) as listing:
        listing.write("\n".join(files))
    try:
        result = subprocess.run(  # noqa: S603 - this interpreter, this module, our own paths
            [sys.executable, "-m", CHILD_MODULE, listing.name, str(out)],
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parents[3],
        )
    finally:
        Path(listing.name).unlink(missing_ok=True)
    if result.returncode != 0:
        raise RuntimeError(f"merging {len(files)} PDFs failed: {result.stderr.strip()[-500:]}")
    return int(result.stdout.strip())


def merge_in_process(paths: list[Path], out: Path) -> int:
    """The merge itself: groups of :data:`MERGE_GROUP` into intermediates, then one output."""
    files = list(paths)
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".merge-") as scratch:
        level = 0
        while len(files) > MERGE_GROUP:
            groups = [files[i : i + MERGE_GROUP] for i in range(0, len(files), MERGE_GROUP)]
            files = []
            for index, group in enumerate(groups):
                target = Path(scratch) / f"{level}-{index}.pdf"
                _merge_group(group, target)
                files.append(target)
            level += 1
        partial = out.with_name(f".{out.name}.partial")
        try:
            pages = _merge_group(files, partial)
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
    return pages


def _merge_group(paths: list[Path], out: Path) -> int:
    with contextlib.ExitStack() as stack, pikepdf.new() as merged:
        for path in paths:
            source = stack.enter_context(pikepdf.open(path))
            merged.pages.extend(source.pages)
        merged.save(out, linearize=False)
        return len(merged.pages)
