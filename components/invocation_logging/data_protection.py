"""The invocation log group's CloudWatch Logs data protection policy, as the JSON PutDataProtectionPolicy takes.

Two statements over the same identifiers (botocore `logs` model, PutDataProtectionPolicy): one `Audit` with a
`FindingsDestination` (empty: findings are only counted in the `LogEventsWithFindings` metric), one
`Deidentify` with an empty `MaskConfig` (masking with asterisks at every egress: console, GetLogEvents,
FilterLogEvents, Logs Insights, metric and subscription filters). Only events ingested after the policy is
set are masked.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from inventory.security import DataProtectionSettings
from vocabulary import data_protection, names


def findings_log_group(settings: DataProtectionSettings) -> str | None:
    """The log group audit findings go to, when data protection is on and delivers them to CloudWatch Logs."""
    if settings.enabled and settings.findings_destination == "cloudwatch_logs":
        return names.DATA_PROTECTION_FINDINGS_LOG_GROUP
    return None


def policy(identifiers: Sequence[str], findings_log_group: str | None) -> dict[str, Any]:
    if not identifiers:
        raise ValueError("a data protection policy needs at least one data identifier")
    arns = [data_protection.identifier_arn(name) for name in identifiers]
    destination = {"CloudWatchLogs": {"LogGroup": findings_log_group}} if findings_log_group else {}
    return {
        "Name": names.DATA_PROTECTION_POLICY_NAME,
        "Description": "Audit and mask sensitive data in Bedrock prompts and responses",
        "Version": data_protection.POLICY_VERSION,
        "Statement": [
            {"Sid": "audit", "DataIdentifier": arns, "Operation": {"Audit": {"FindingsDestination": destination}}},
            {"Sid": "mask", "DataIdentifier": arns, "Operation": {"Deidentify": {"MaskConfig": {}}}},
        ],
    }


def document(identifiers: Sequence[str], findings_log_group: str | None) -> str:
    text = json.dumps(policy(identifiers, findings_log_group))
    if len(text) > data_protection.MAX_POLICY_DOCUMENT:
        raise ValueError(f"the data protection policy is {len(text)} characters; CloudWatch Logs accepts 30,720")
    return text
