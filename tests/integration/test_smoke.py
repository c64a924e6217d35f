from registry.db.apikeys import Actor
from registry.service import Registry
from tests.support.drafts import draft


def test_issue_and_verify(registry: Registry) -> None:
    outcome = registry.issue(draft(), Actor(id="t", role="issuer"))
    assert outcome.document.number == "00001/SERT/BPSDM/2026" or outcome.document.number.startswith(
        "00001/SERT/BPSDM/"
    )
    assert registry.verify(outcome.document.token).status == "valid"
