"""The data protection policy document, as PutDataProtectionPolicy takes it (botocore `logs` model)."""

from __future__ import annotations

import json

import botocore.session
import pytest
from botocore.validate import ParamValidator

from components.invocation_logging import data_protection
from vocabulary.data_protection import DEFAULT_IDENTIFIERS, MANAGED_IDENTIFIERS, MAX_POLICY_DOCUMENT

FINDINGS = "/aws/vendedlogs/bedrock-observability/data-protection-findings"
_LOGS = botocore.session.get_session().get_service_model("logs")


def _request(document: str) -> dict:
    return {"logGroupIdentifier": "/bedrock-observability/model-invocations", "policyDocument": document}


def test_two_blocks_over_the_same_identifiers() -> None:
    """The API requires an Audit block (with a FindingsDestination) and a Deidentify block whose empty
    MaskConfig masks, both over exactly the same DataIdentifier list."""
    policy = data_protection.policy(["EmailAddress", "Ssn-US"], FINDINGS)
    audit, mask = policy["Statement"]
    arns = [
        "arn:aws:dataprotection::aws:data-identifier/EmailAddress",
        "arn:aws:dataprotection::aws:data-identifier/Ssn-US",
    ]
    assert audit["DataIdentifier"] == mask["DataIdentifier"] == arns
    assert audit["Operation"] == {"Audit": {"FindingsDestination": {"CloudWatchLogs": {"LogGroup": FINDINGS}}}}
    assert mask["Operation"] == {"Deidentify": {"MaskConfig": {}}}
    assert policy["Version"] == "2021-06-01" and policy["Name"] == "bedrock-invocation-logs-data-protection"
    no_findings = data_protection.policy(["EmailAddress"], None)
    assert no_findings["Statement"][0]["Operation"] == {"Audit": {"FindingsDestination": {}}}


@pytest.mark.parametrize("identifiers", [DEFAULT_IDENTIFIERS, tuple(sorted(MANAGED_IDENTIFIERS))])
def test_documents_fit_the_api(identifiers: tuple[str, ...]) -> None:
    document = data_protection.document(identifiers, FINDINGS)
    assert len(document) <= MAX_POLICY_DOCUMENT  # even with every managed identifier
    shape = _LOGS.operation_model("PutDataProtectionPolicy").input_shape
    report = ParamValidator().validate(_request(document), shape)
    assert not report.has_errors(), report.generate_report()
    assert (
        json.loads(document)["Statement"][1]["DataIdentifier"] == json.loads(document)["Statement"][0]["DataIdentifier"]
    )


def test_an_empty_identifier_list_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one data identifier"):
        data_protection.policy([], None)
