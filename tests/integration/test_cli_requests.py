"""``satupintu request list|show|approve|reject`` on both backends."""

from __future__ import annotations

import copy
import uuid

import pytest
from sqlalchemy import select

from api.cli import main as cli_main
from registry.adapters.db.schema import Document
from registry.domain.units import UnitDraft
from registry.settings import Settings
from registry.usecases.issuing import Registry
from registry.usecases.requests import Requests
from registry.usecases.units import Units
from tests.integration.test_requests import DPUPR, ISSUE_BODY, ISSUER, PNG, filed
from tests.support.drafts import outside_pdf

#: Three coaching sessions in one month: tangsel-2022 counts at most two.
THREE_IN_MARCH = [
    {"date": "2026-03-02", "minutes": 90, "topic": "Penyusunan RAB"},
    {"date": "2026-03-09", "minutes": 90, "topic": "Analisa harga satuan"},
    {"date": "2026-03-16", "minutes": 90, "topic": "Evaluasi RAB"},
]


@pytest.fixture
def environment(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SATUPINTU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("SATUPINTU_KEYS_DIR", str(settings.keys_dir))
    monkeypatch.setenv("SATUPINTU_DATABASE_URL", settings.database_url)
    return settings


@pytest.fixture
def requests(registry: Registry, environment: Settings) -> Requests:
    units = Units(registry.db, now=registry.now, today=registry.local_today)
    units.save(UnitDraft("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", None), ISSUER)
    return Requests(registry)


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli_main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def documents(registry: Registry) -> list[Document]:
    with registry.db.reading() as session:
        return list(session.execute(select(Document)).scalars())


def test_the_queue_is_listed_shown_and_a_request_approved(
    requests: Requests, registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    body = {**copy.deepcopy(ISSUE_BODY), "sessions": THREE_IN_MARCH}
    draft = requests.create(copy.deepcopy(ISSUE_BODY), DPUPR).id
    submitted = filed(requests, body)

    code, out, _ = run(["request", "list"], capsys)
    assert code == 0
    rows = [line.split()[0] for line in out.splitlines()[1:-1]]
    assert rows == [str(submitted), str(draft)]  # the oldest submitted first, drafts after
    assert "submitted" in out and "Andi Wijaya" in out and out.endswith("2 permohonan\n")
    code, out, _ = run(["request", "list", "--status", "submitted", "--unit", "DPUPR"], capsys)
    assert [line.split()[0] for line in out.splitlines()[1:-1]] == [str(submitted)]
    assert run(["request", "list", "--unit", "DINKES"], capsys)[1] == "Tidak ada permohonan.\n"

    code, out, _ = run(["request", "show", str(submitted)], capsys)
    assert code == 0
    assert "diajukan (submitted)" in out
    assert "Coach" in out and "Ir. Bambang Sutrisno, M.T." in out and "NIP 19780512" in out
    sessions = out.split("Sesi:\n", 1)[1].split("Jumlah JP", 1)[0].splitlines()
    assert sessions[0].split() == ["No", "Tanggal", "Lama", "Topik", "JP", "Dihitung", "Keterangan"]
    assert [line.split()[:3] for line in sessions[1:]] == [
        ["1", "2026-03-02", "90"],
        ["2", "2026-03-09", "90"],
        ["3", "2026-03-16", "90"],
    ]
    assert "ya" in sessions[1] and "ya" in sessions[2]
    assert "tidak" in sessions[3] and "melebihi batas 2 sesi per bulan" in sessions[3]
    assert "Jumlah JP: 4\n" in out
    assert "surat_perintah" in out and "sp.pdf" in out and "formulir.png" in out

    code, out, err = run(["request", "approve", str(submitted)], capsys)
    assert code == 0, err
    [letter] = documents(registry)
    assert (letter.status, letter.unit_code, str(letter.jp)) == ("issued", "DPUPR", "4")
    assert f"surat keterangan {letter.number} terbit (4 JP)" in out
    # The command converts, as the service does: the letter has its PDF.
    assert "pdf" in {f.kind for f in registry.get(letter.id, ISSUER).files}
    assert requests.get(submitted, ISSUER).status == "approved"

    code, out, _ = run(["request", "show", str(submitted)], capsys)
    assert "disetujui (approved)" in out and letter.number in out and "oleh cli" in out

    code, _, err = run(["request", "approve", str(submitted)], capsys)
    assert code == 2
    assert "Permohonan berstatus disetujui" in err
    assert len(documents(registry)) == 1


def test_reject_needs_a_reason_and_a_decided_request_is_refused(
    requests: Requests, registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    request_id = filed(requests)
    with pytest.raises(SystemExit) as no_reason:
        cli_main(["request", "reject", str(request_id)])
    assert no_reason.value.code == 2
    assert "--reason" in capsys.readouterr().err
    code, _, err = run(["request", "reject", str(request_id), "--reason", "  "], capsys)
    assert (code, err) == (2, "satupintu: Alasan penolakan wajib diisi\n")

    code, out, _ = run(
        ["request", "reject", str(request_id), "--reason", "Formulir belum ditandatangani"],
        capsys,
    )
    assert code == 0
    assert out == f"Permohonan {request_id} ditolak. Alasan: Formulir belum ditandatangani\n"
    seen = requests.get(request_id, DPUPR)
    assert (seen.status, seen.reason, seen.decided_by) == (
        "rejected",
        "Formulir belum ditandatangani",
        "cli",
    )
    code, out, _ = run(["request", "show", str(request_id)], capsys)
    assert "Alasan penolakan : Formulir belum ditandatangani" in out

    for argv in (["approve", str(request_id)], ["reject", str(request_id), "--reason", "x"]):
        code, _, err = run(["request", *argv], capsys)
        assert code == 2 and "Permohonan berstatus ditolak" in err, err
    assert documents(registry) == []


def test_a_log_that_credits_nothing_is_refused_with_its_verdicts(
    requests: Requests, registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    body = copy.deepcopy(ISSUE_BODY)
    del body["coach"]
    body.update(
        kind="belajar_mandiri",
        sessions=[{"date": "2026-03-02", "minutes": 30, "topic": "Membaca modul"}],
    )
    request = requests.create(body, DPUPR)
    requests.add_evidence(request.id, "surat_perintah", PNG, DPUPR)
    requests.add_evidence(request.id, "bahan", outside_pdf(), DPUPR)
    requests.submit(request.id, DPUPR)

    code, out, err = run(["request", "approve", str(request.id)], capsys)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert "tidak menghasilkan JP" in lines[-3]
    assert lines[-2].split() == ["Tanggal", "JP", "Dihitung", "Keterangan"]
    assert lines[-1].split()[:3] == ["2026-03-02", "0", "tidak"]
    assert documents(registry) == []
    assert requests.get(request.id, ISSUER).status == "submitted"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["request", "show", "{unknown}"], "Permohonan tidak ditemukan"),
        (["request", "approve", "{unknown}"], "Permohonan tidak ditemukan"),
        (["request", "list", "--status", "pending"], "Status tidak dikenal: 'pending'"),
    ],
)
def test_unknown_requests_and_statuses_exit_2(
    requests: Requests, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, out, err = run([arg.format(unknown=uuid.uuid4()) for arg in argv], capsys)
    assert (code, out) == (2, "")
    assert err.startswith(f"satupintu: {message}")


def test_an_id_that_is_not_a_uuid_is_refused_in_indonesian(
    capsys: pytest.CaptureFixture[str], environment: Settings
) -> None:
    with pytest.raises(SystemExit) as refused:
        cli_main(["request", "show", "123"])
    assert refused.value.code == 2
    assert "ID permohonan harus berupa UUID (diterima '123')" in capsys.readouterr().err
