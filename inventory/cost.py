"""Traffic assumptions of the footprint cost estimate (`obsctl plan`), in one place.

The estimate counts what it can from the plan's own resources (alarms, dashboards, keys, retention,
lifecycle tiers, ...). What a plan cannot know - how much Bedrock traffic is logged - comes from these
assumptions: the defaults below, overridden org-wide under `defaults.cost_assumptions`, per workload account
under `workload_accounts[i].settings.cost_assumptions` (deep-merged like every other setting), and on the
command line (`obsctl plan --invocations-per-day ...`, applied to every account of the run).

Every value is a finite, non-negative number within a plausible bound, so a typo (a minus sign, a payload
in bytes instead of KB, a percentage instead of a share) fails validation instead of pricing nonsense.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ValidationError

from inventory.base import StrictModel

# Bedrock sends a log record's payload to the large-data S3 location instead of CloudWatch Logs when it is
# larger than this (Bedrock user guide, "Monitor model invocation using CloudWatch Logs and Amazon S3").
LARGE_PAYLOAD_THRESHOLD_KB = 100


def _shown(number: float) -> str:
    return f"{int(number):,}" if float(number).is_integer() else f"{number:g}"


def _number(value: Any) -> Any:
    # YAML `true` would otherwise count as 1.
    if isinstance(value, bool):
        raise ValueError("is true/false, not a number; fix: write a number")
    return value


def _bounded(low: float, high: float, fix: str) -> Any:
    def check(value: float) -> float:
        if not math.isfinite(value) or not low <= value <= high:
            raise ValueError(f"must be a finite number from {_shown(low)} to {_shown(high)}; fix: {fix}")
        return value

    return Annotated[float, BeforeValidator(_number), AfterValidator(check)]


Share = _bounded(0, 1, "write a share between 0 and 1 (e.g. 0.02 for 2 %), not a percentage")


def _amount(high: float, unit: str, low: float = 0) -> Any:
    return _bounded(low, high, f"give the number of {unit} ({_shown(low)} to {_shown(high)})")


class CostAssumptions(StrictModel):
    """What the plan cannot know. Per workload account-region unless the field says otherwise."""

    # Bedrock model invocations per day in each region with invocation logging.
    invocations_per_day: _amount(1e9, "invocations per day per account-region") = 10_000
    # Average size of one logged invocation record (request + response + metadata) whose payload stays in
    # CloudWatch Logs, i.e. below the large-payload threshold.
    avg_payload_kb: _bounded(
        0,
        LARGE_PAYLOAD_THRESHOLD_KB,
        f"give the average record size in KB; records above {LARGE_PAYLOAD_THRESHOLD_KB} KB go to S3 as "
        "large payloads: model them with large_payload_share and large_payload_kb",
    ) = 8
    # Share of invocations whose payload exceeds the threshold (or is binary) and goes to S3.
    large_payload_share: Share = 0.02
    # Average size of such a large payload object.
    large_payload_kb: _amount(1e6, "KB per large payload", low=LARGE_PAYLOAD_THRESHOLD_KB) = 300
    # What remains in CloudWatch Logs of a large-payload record: metadata and the S3 pointer.
    large_record_stub_kb: _amount(LARGE_PAYLOAD_THRESHOLD_KB, "KB per large-payload record in CloudWatch Logs") = 1
    # Compressed / raw size: CloudWatch Logs bills archived storage compressed; S3 log files are gzip.
    compression_ratio: Share = 0.15
    # Objects Bedrock's S3 log delivery writes per region and day (it batches records into files).
    log_objects_per_day: _amount(1e7, "log files per region and day") = 288
    # CloudTrail data events (agents, knowledge bases, guardrails, flows, prompts, async invoke) per invocation.
    data_events_per_invocation: _amount(1e3, "data events per model invocation") = 0.5
    # Other management events of the account per day (every API call, not just Bedrock's), per account.
    other_management_events_per_day: _amount(1e9, "management events per day per account") = 5_000
    # Average size of one CloudTrail event record.
    trail_event_kb: _amount(1e3, "KB per CloudTrail event") = 1.5
    # Alarm notifications published to each alert topic per month (each delivered to every subscriber).
    notifications_per_topic_per_month: _amount(1e7, "notifications per topic per month") = 20
    # Amazon Managed Grafana users, when the monitoring account enables Grafana.
    grafana_editors: _amount(1e5, "Grafana editor/admin users") = 2
    grafana_viewers: _amount(1e5, "Grafana viewer users") = 10


# Command-line options of `obsctl plan` that override an assumption for every account of the run.
CLI_OPTIONS = {
    "invocations_per_day": "--invocations-per-day",
    "avg_payload_kb": "--avg-payload-kb",
    "large_payload_share": "--large-payload-share",
}


def with_overrides(base: CostAssumptions, overrides: dict[str, float]) -> CostAssumptions:
    """`base` with the command line's values; a bad value raises ValueError naming the option and the fix."""
    if not overrides:
        return base
    try:
        return CostAssumptions.model_validate({**base.model_dump(), **overrides})
    except ValidationError as error:
        problems = []
        for problem in error.errors(include_url=False):
            field = str(problem["loc"][0]) if problem["loc"] else ""
            option = CLI_OPTIONS.get(field, field)
            message = str(problem["msg"]).removeprefix("Value error, ")
            problems.append(f"{option} = {problem.get('input')!r}: {message}")
        raise ValueError("; ".join(problems)) from None
