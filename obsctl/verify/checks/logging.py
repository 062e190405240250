"""Invocation logging configuration, log groups (and the invocation log group's data protection) and the
regional KMS key (state, rotation, policy)."""

from __future__ import annotations

from typing import Any

from obsctl.verify.checks.base import (
    Check,
    Verdict,
    compare,
    failed,
    one,
    passed,
    policy_differences,
    regional_key,
    skipped,
    statements_by_sid,
)
from obsctl.verify.live import Live
from obsctl.verify.shapes import ExpectedRegion, LogGroup

LOGGING = "model-invocation-logging"


def _config(live: Live) -> dict[str, Any] | None:
    response = live.get("bedrock", "get_model_invocation_logging_configuration")
    return (response or {}).get("loggingConfig") or None


def _enabled(live: Live, expected: ExpectedRegion, _: Any) -> Verdict:
    return passed("configured") if _config(live) else failed("no invocation logging configuration in the region")


def _with_config(compare_fn):  # type: ignore[no-untyped-def]
    def evaluate(live: Live, expected: ExpectedRegion, item: Any) -> Verdict:
        config = _config(live)
        return compare_fn(config, expected) if config else failed("invocation logging is off")

    return evaluate


def _cloudwatch(config: dict[str, Any], expected: ExpectedRegion) -> Verdict:
    cloudwatch = config.get("cloudWatchConfig") or {}
    return compare(
        [
            ("log group", expected.logging.log_group, cloudwatch.get("logGroupName")),
            ("role", expected.logging.role_arn, cloudwatch.get("roleArn")),
        ],
        f"CloudWatch Logs {expected.logging.log_group}",
    )


def _s3(config: dict[str, Any], expected: ExpectedRegion) -> Verdict:
    s3 = config.get("s3Config") or {}
    return compare(
        [
            ("bucket", expected.logging.bucket, s3.get("bucketName")),
            ("prefix", expected.logging.prefix, s3.get("keyPrefix")),
        ],
        f"s3://{expected.logging.bucket}/{expected.logging.prefix}",
    )


def _large_data(config: dict[str, Any], expected: ExpectedRegion) -> Verdict:
    large = (config.get("cloudWatchConfig") or {}).get("largeDataDeliveryS3Config") or {}
    return compare(
        [
            ("bucket", expected.logging.bucket, large.get("bucketName")),
            ("prefix", expected.logging.large_data_prefix, large.get("keyPrefix")),
        ],
        f"s3://{expected.logging.bucket}/{expected.logging.large_data_prefix}",
    )


def _data_types(config: dict[str, Any], expected: ExpectedRegion) -> Verdict:
    wanted = expected.logging.data_types
    return compare([(field, on, bool(config.get(field))) for field, on in wanted.items()], "as configured")


# --- log groups -------------------------------------------------------------------------------------------


def _log_group(live: Live, group: LogGroup) -> dict[str, Any] | None:
    # One call per folder: the invocation and trail log groups share theirs.
    folder = group.name.rsplit("/", 1)[0] + "/"
    response = live.get("logs", "describe_log_groups", logGroupNamePrefix=folder)
    return next((g for g in (response or {}).get("logGroups", []) if g.get("logGroupName") == group.name), None)


def _retention(live: Live, expected: ExpectedRegion, group: LogGroup) -> Verdict:
    found = _log_group(live, group)
    if found is None:
        return failed("log group does not exist")
    return compare(
        [("retention days", group.retention_days, found.get("retentionInDays"))], f"{group.retention_days} days"
    )


def _log_group_kms(live: Live, expected: ExpectedRegion, group: LogGroup) -> Verdict:
    found = _log_group(live, group)
    if found is None:
        return failed("log group does not exist")
    return compare([("KMS key", regional_key(live, expected), found.get("kmsKeyId"))], "the regional key")


def _deletion_protection(live: Live, expected: ExpectedRegion, group: LogGroup) -> Verdict:
    found = _log_group(live, group)
    if found is None:
        return failed("log group does not exist")
    if "deletionProtectionEnabled" not in found:
        return skipped("the endpoint does not report deletionProtectionEnabled")
    return compare([("deletion protection", group.deletion_protected, found["deletionProtectionEnabled"])])


def _data_protection(live: Live, expected: ExpectedRegion, group: str) -> Verdict:
    wanted = expected.data_protection
    assert wanted is not None  # applied only when data protection is enabled
    response = live.get("logs", "get_data_protection_policy", logGroupIdentifier=group) or {}
    document = response.get("policyDocument")
    if not document:
        return failed("no data protection policy: prompts and responses are not masked")
    problems = policy_differences(wanted["Statement"], statements_by_sid(document))
    return (
        failed("; ".join(problems))
        if problems
        else passed(f"audits and masks {len(wanted['Statement'][0]['DataIdentifier'])} identifiers")
    )


# --- key --------------------------------------------------------------------------------------------------


def _key_state(live: Live, expected: ExpectedRegion, _: Any) -> Verdict:
    described = live.get("kms", "describe_key", KeyId=expected.key_alias)
    if described is None:
        return failed(f"{expected.key_alias} does not exist")
    state = described["KeyMetadata"].get("KeyState")
    return compare([("key state", "Enabled", state)], described["KeyMetadata"]["Arn"])


def _rotation(live: Live, expected: ExpectedRegion, _: Any) -> Verdict:
    described = live.get("kms", "describe_key", KeyId=expected.key_alias)
    if described is None:
        return failed(f"{expected.key_alias} does not exist")
    status = live.get("kms", "get_key_rotation_status", KeyId=described["KeyMetadata"]["Arn"]) or {}
    return compare([("rotation", True, status.get("KeyRotationEnabled"))], "rotation on")


def _key_policy(live: Live, expected: ExpectedRegion, _: Any) -> Verdict:
    described = live.get("kms", "describe_key", KeyId=expected.key_alias)
    if described is None:
        return failed(f"{expected.key_alias} does not exist")
    response = live.get("kms", "get_key_policy", KeyId=described["KeyMetadata"]["Arn"], PolicyName="default") or {}
    problems = policy_differences(expected.key_policy, statements_by_sid(response.get("Policy")))
    budgets = "AWS Budgets may publish" if expected.region == expected.account.home_region else "no AWS Budgets grant"
    return failed("; ".join(problems)) if problems else passed(f"as the program writes it; {budgets}")


_BEDROCK = "bedrock:GetModelInvocationLoggingConfiguration"
_GROUPS = "logs:DescribeLogGroups"


def _groups(expected: ExpectedRegion) -> tuple[LogGroup, ...]:
    return expected.log_groups


def _logging(expected: ExpectedRegion) -> str:
    return LOGGING


def _name(group: LogGroup) -> str:
    return group.name


def _alias(expected: ExpectedRegion) -> str:
    return expected.key_alias_arn  # the alias name alone is the same in every region and account


def _protected_group(expected: ExpectedRegion) -> str | None:
    return expected.logging.log_group if expected.data_protection else None


CHECKS: tuple[Check[Any], ...] = (
    Check("logging.enabled", _BEDROCK, "a configuration exists", one(_logging), str, _enabled),
    Check(
        "logging.cloudwatch",
        _BEDROCK,
        "CloudWatch Logs destination is the invocation log group and logging role",
        one(_logging),
        str,
        _with_config(_cloudwatch),
    ),
    Check(
        "logging.s3",
        _BEDROCK,
        "S3 destination is the region's bucket and prefix",
        one(_logging),
        str,
        _with_config(_s3),
    ),
    Check(
        "logging.large-data",
        _BEDROCK,
        "large payloads go to the bucket's large-data prefix",
        one(_logging),
        str,
        _with_config(_large_data),
    ),
    Check(
        "logging.data-types",
        _BEDROCK,
        "text/image/embedding/video delivery as in settings.invocation_logging",
        one(_logging),
        str,
        _with_config(_data_types),
    ),
    Check("log-group.retention", _GROUPS, "retention as configured", _groups, _name, _retention),
    Check("log-group.kms", _GROUPS, "encrypted with the regional key", _groups, _name, _log_group_kms),
    Check(
        "log-group.deletion-protection",
        _GROUPS,
        "deletion protection on (off only with allow_data_deletion)",
        _groups,
        _name,
        _deletion_protection,
        "moto does not report deletionProtectionEnabled",
    ),
    Check(
        "log-group.data-protection",
        "logs:GetDataProtectionPolicy",
        "the invocation log group audits and masks the configured identifiers (when enabled)",
        one(_protected_group),
        str,
        _data_protection,
        "moto does not implement data protection policies: skipped",
    ),
    Check("key.state", "kms:DescribeKey", "the alias's key is Enabled", one(_alias), str, _key_state),
    Check("key.rotation", "kms:GetKeyRotationStatus", "automatic rotation on", one(_alias), str, _rotation),
    Check(
        "key.policy",
        "kms:GetKeyPolicy",
        "every statement as the program writes it, no other (AWS Budgets granted in the home region only)",
        one(_alias),
        str,
        _key_policy,
    ),
)
