"""The account's CloudTrail (home region only, unless an organisation trail covers the account)."""

from __future__ import annotations

from typing import Any

from obsctl.verify.checks.base import Check, Verdict, compare, failed, one, passed, regional_key
from obsctl.verify.live import Live
from obsctl.verify.shapes import ExpectedRegion, Trail

_DELIVERY_ERRORS = ("LatestDeliveryError", "LatestCloudWatchLogsDeliveryError", "LatestDigestDeliveryError")


def _described(live: Live, trail: Trail) -> dict[str, Any] | None:
    response = live.get("cloudtrail", "describe_trails", trailNameList=[trail.name], includeShadowTrails=False)
    return next((t for t in (response or {}).get("trailList", []) if t.get("Name") == trail.name), None)


def _on_trail(read):  # type: ignore[no-untyped-def]
    def evaluate(live: Live, expected: ExpectedRegion, trail: Trail) -> Verdict:
        found = _described(live, trail)
        return read(found, expected, trail) if found else failed("trail does not exist")

    return evaluate


def _status(live: Live, trail: Trail) -> dict[str, Any]:
    return live.get("cloudtrail", "get_trail_status", Name=trail.arn) or {}


def _logging(live: Live, expected: ExpectedRegion, trail: Trail) -> Verdict:
    if _described(live, trail) is None:
        return failed("trail does not exist")
    return compare([("logging", True, _status(live, trail).get("IsLogging"))], "logging")


def _delivery_errors(live: Live, expected: ExpectedRegion, trail: Trail) -> Verdict:
    if _described(live, trail) is None:
        return failed("trail does not exist")
    status = _status(live, trail)
    errors = [f"{field}: {status[field]}" for field in _DELIVERY_ERRORS if status.get(field)]
    return failed("; ".join(errors)) if errors else passed("no delivery errors reported")


def _multi_region(found: dict[str, Any], expected: ExpectedRegion, trail: Trail) -> Verdict:
    return compare(
        [
            ("multi-region", True, found.get("IsMultiRegionTrail")),
            ("global service events", True, found.get("IncludeGlobalServiceEvents")),
        ],
        "all regions, global service events",
    )


def _validation(found: dict[str, Any], expected: ExpectedRegion, trail: Trail) -> Verdict:
    return compare([("log file validation", True, found.get("LogFileValidationEnabled"))], "on")


def _kms_is_regional_key(live: Live, expected: ExpectedRegion, trail: Trail) -> Verdict:
    found = _described(live, trail)
    if found is None:
        return failed("trail does not exist")
    key = regional_key(live, expected)
    return compare([("KMS key", key, found.get("KmsKeyId"))], "the regional key")


def _cloudwatch_logs(found: dict[str, Any], expected: ExpectedRegion, trail: Trail) -> Verdict:
    return compare(
        [
            ("log group", trail.log_group_arn, found.get("CloudWatchLogsLogGroupArn")),
            ("role", trail.role_arn, found.get("CloudWatchLogsRoleArn")),
        ],
        "delivers to the trail log group",
    )


def _bucket(found: dict[str, Any], expected: ExpectedRegion, trail: Trail) -> Verdict:
    return compare([("bucket", trail.bucket, found.get("S3BucketName"))], f"s3://{trail.bucket}")


def _insights(live: Live, expected: ExpectedRegion, trail: Trail) -> Verdict:
    if _described(live, trail) is None:
        return failed("trail does not exist")
    response = live.get("cloudtrail", "get_insight_selectors", TrailName=trail.arn) or {}
    found = sorted(selector.get("InsightType") for selector in response.get("InsightSelectors") or [])
    return compare([("insight types", sorted(trail.insights), found)], ", ".join(trail.insights))


def _trail(expected: ExpectedRegion) -> Trail | None:
    return expected.trail


def _with_insights(expected: ExpectedRegion) -> Trail | None:
    return expected.trail if expected.trail and expected.trail.insights else None


def _name(trail: Trail) -> str:
    return trail.name


_DESCRIBE = "cloudtrail:DescribeTrails"
_STATUS = "cloudtrail:GetTrailStatus"

CHECKS: tuple[Check[Any], ...] = (
    Check("trail.logging", _STATUS, "IsLogging", one(_trail), _name, _logging),
    Check(
        "trail.delivery-errors",
        _STATUS,
        "no latest S3, CloudWatch Logs or digest delivery error",
        one(_trail),
        _name,
        _delivery_errors,
        "moto never reports delivery errors",
    ),
    Check("trail.multi-region", _DESCRIBE, "multi-region, global events", one(_trail), _name, _on_trail(_multi_region)),
    Check("trail.validation", _DESCRIBE, "log file validation on", one(_trail), _name, _on_trail(_validation)),
    Check(
        "trail.kms",
        _DESCRIBE + ", kms:DescribeKey",
        "encrypted with the regional key",
        one(_trail),
        _name,
        _kms_is_regional_key,
    ),
    Check(
        "trail.cloudwatch-logs",
        _DESCRIBE,
        "delivers to the trail log group with the trail role",
        one(_trail),
        _name,
        _on_trail(_cloudwatch_logs),
    ),
    Check("trail.bucket", _DESCRIBE, "delivers to the audit bucket", one(_trail), _name, _on_trail(_bucket)),
    Check(
        "trail.insights",
        "cloudtrail:GetInsightSelectors",
        "the configured CloudTrail Insights types (when enabled)",
        one(_with_insights),
        _name,
        _insights,
    ),
)
