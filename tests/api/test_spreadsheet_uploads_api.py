"""Hostile participant lists and rosters over HTTP: a 422 in Indonesian and nothing written."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient
from sqlalchemy import func, select

from registry.adapters.db.schema import Batch, DocumentFile, Employee
from registry.usecases.issuing import Registry
from tests.api.conftest import bearer, written_state
from tests.api.test_bad_input import assert_problem, english_words
from tests.api.test_units_api import add_units
from tests.conftest import Keys
from tests.support.drafts import batch_body
from tests.support.hostile_spreadsheets import (
    SHARED_STRINGS,
    SHEET,
    base_xlsx,
    crowded_row,
    shared_strings_bomb,
    sheet_xml,
    text_cells,
    text_row,
    xlsx_with,
)


def sheet(*rows: bytes, dimension: str) -> bytes:
    return xlsx_with({SHEET: b"".join(sheet_xml(rows, dimension=dimension))})


# name -> (file, what the refusal's detail mentions)
HOSTILE: dict[str, Callable[[], tuple[bytes, str]]] = {
    "shared-strings-bomb": lambda: (
        xlsx_with({SHARED_STRINGS: shared_strings_bomb(8 * 2**20)}),
        "dipadatkan secara tidak wajar",
    ),
    "header-at-row-10000": lambda: (
        sheet(text_row(10_000, ["nip", "nama"]), dimension="A1:XFD10000"),
        "20 baris pertama",
    ),
    "data-in-column-xfd": lambda: (
        sheet(
            text_row(1, ["nip", "nama"]),
            text_row(2, ["x"], after=text_cells(2, ["x"], first_column=16_384)),
            dimension="A1:XFD2",
        ),
        "di luar 50 kolom pertama",
    ),
    "cells-crowded-into-column-a": lambda: (
        sheet(text_row(1, ["nip", "nama"]), crowded_row(2, 16_385), dimension="A1"),
        "lebih dari 16.384 sel",
    ),
    "sheet-xml-cut-short": lambda: (
        xlsx_with({SHEET: b"<worksheet><sheetData><row r='1'><c"}),
        "simpan ulang sebagai .xlsx atau CSV UTF-8",
    ),
    "shared-string-out-of-range": lambda: (
        sheet(b'<row r="1"><c r="A1" t="s"><v>99</v></c></row>', dimension="A1"),
        "simpan ulang sebagai .xlsx atau CSV UTF-8",
    ),
    "zip-cut-short": lambda: (base_xlsx()[:1500], "simpan ulang sebagai .xlsx atau CSV UTF-8"),
    "password-protected": lambda: (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "kata sandi",
    ),
    "csv-with-millions-of-columns": lambda: (
        b"nip,nama\r\n" + b"," * 3_000_000 + b"\r\n",
        "terlalu panjang",
    ),
    "csv-in-utf-16": lambda: ("nip\tnama\r\n1\tBudi\r\n".encode("utf-16"), "CSV UTF-8"),
}


def everything_written(registry: Registry) -> tuple[Any, ...]:
    """What an upload could leave behind: documents, numbers, audit, batches, files, employees."""
    with registry.db.reading() as session:
        counts = tuple(
            session.execute(select(func.count()).select_from(table)).scalar_one()
            for table in (Batch, DocumentFile, Employee)
        )
    return (*written_state(registry), *counts)


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_participant_list_is_refused_and_nothing_is_written(
    client: TestClient[Any], api_keys: Keys, registry: Registry, case: str
) -> None:
    data, mentions = HOSTILE[case]()
    spec = {k: v for k, v in batch_body(0).items() if k != "recipients"}
    before = everything_written(registry)
    response = client.post(
        "/api/v1/documents/batch",
        files={"file": ("peserta.xlsx", data, "application/octet-stream")},
        data={"batch": json.dumps(spec)},
        headers=bearer(api_keys.issuer.secret),
    )
    problem = assert_problem(response, 422, field="file", mentions=mentions)
    assert not english_words(problem["detail"]), problem
    assert everything_written(registry) == before


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_roster_is_refused_and_nothing_is_written(
    client: TestClient[Any], api_keys: Keys, registry: Registry, case: str
) -> None:
    add_units(client, api_keys)
    data, mentions = HOSTILE[case]()
    before = everything_written(registry)
    response = client.post(
        "/api/v1/units/DPUPR/employees",
        files={"file": ("pegawai.xlsx", data, "application/octet-stream")},
        headers=bearer(api_keys.requester.secret),
    )
    problem = assert_problem(response, 422, field="file", mentions=mentions)
    assert not english_words(problem["detail"]), problem
    assert everything_written(registry) == before
