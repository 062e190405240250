"""Trails: events counted by hand, and a log group the plan does not name (not priced, and said)."""

from __future__ import annotations

import pytest

from inventory.cost import CostAssumptions
from obsctl.cost import report
from obsctl.cost.estimate import Context, estimate
from obsctl.cost.lifecycle import UNBOUNDED_DAYS
from obsctl.cost.traffic import log_group_of
from tests.obsctl.cost.hand_counted import (
    ACCOUNT,
    MONTH,
    PRICES,
    plan_of,
    quantities,
)

TRAIL = "aws:cloudtrail/trail:Trail"
CONFIG = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
TRAIL_STACK = [
    (CONFIG, "logging-use1", {"region": "us-east-1", "loggingConfig": {}}),
    (CONFIG, "logging-euw1", {"region": "eu-west-1", "loggingConfig": {}}),
    (
        TRAIL,
        "audit",
        {
            "isMultiRegionTrail": True,
            "enableLogFileValidation": True,
            "kmsKeyId": "k",
            "s3BucketName": "trail-bucket",
            "cloudWatchLogsGroupArn": f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/trail:*",
            "advancedEventSelectors": [
                {"fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]},
                {
                    "fieldSelectors": [
                        {"field": "eventCategory", "equals": ["Data"]},
                        {"field": "resources.type", "equals": ["AWS::Bedrock::Guardrail"]},
                    ]
                },
            ],
        },
    ),
    # A second trail in the account: its management events are an additional, billed copy.
    (TRAIL, "second", {"s3BucketName": "other-bucket"}),
    ("aws:cloudwatch/logGroup:LogGroup", "trail-logs", {"name": "/trail", "retentionInDays": 90}),
    ("aws:s3/bucket:Bucket", "trail-bucket", {"bucket": "trail-bucket"}),
]


def test_trails_counted_by_hand() -> None:
    traffic = CostAssumptions(
        invocations_per_day=10_000,
        other_management_events_per_day=5_000,
        data_events_per_invocation=0.5,
        trail_event_kb=1,
        compression_ratio=0.1,
    )
    result = estimate(plan_of(TRAIL_STACK), Context(lambda _: traffic), PRICES)
    trail = [i for i in result["items"] if i["component"] == "cloudtrail"]
    # Multi-region trail: 5,000 other + 2 regions x 10,000 invocations (management events) = 25,000 a day,
    # free as the account's first copy; data events 20,000 x 0.5 = 10,000 a day.
    # The second trail (home region only, no selectors = management events): 5,000 + 10,000 = 15,000 a day.
    assert [(i["price"], i["quantity"]) for i in trail] == [
        ("cloudtrail.management_event_first_copy", pytest.approx(25_000 * MONTH)),
        ("cloudtrail.data_event", pytest.approx(10_000 * MONTH)),
        ("cloudtrail.management_event", pytest.approx(15_000 * MONTH)),
    ]
    # 304,166.7 data events x 0.10 / 100k + 456,250 additional management events x 2.00 / 100k = 9.429
    assert result["components"]["cloudtrail"] == pytest.approx(0.30 + 9.13, abs=0.01)
    # The trail's log group: 35,000 events x 1 KB a day, kept 90 days.
    gb_day = 35_000 / 1024**2
    q = quantities(result)
    assert q["cloudwatch.logs_ingestion"] == pytest.approx(gb_day * MONTH)
    assert q["cloudwatch.logs_storage"] == pytest.approx(gb_day * 90 * 0.1)
    # Bucket without lifecycle: no steady state, one year shown; 2 regions x (288 files + 24 digests) a day.
    assert q["s3.storage.STANDARD"] == pytest.approx(gb_day * 0.1 * UNBOUNDED_DAYS)
    assert q["s3.put_request"] == pytest.approx(2 * 312 * MONTH)
    # CloudTrail encrypts each file with its own data key: one KMS request per file.
    assert q["kms.request"] == pytest.approx(2 * 312 * MONTH)
    assert result["notPriced"] == []


# What `pulumi preview --json` shows for a value known only after apply (obsctl.policy.plan.UNKNOWN).
PREVIEW_UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


@pytest.mark.parametrize("value", [PREVIEW_UNKNOWN, "arn:aws:s3:::not-a-log-group", 42])
def test_trail_log_group_the_plan_does_not_name_is_said_not_priced(value: object) -> None:
    stack = [
        (t, n, {**inputs, "cloudWatchLogsGroupArn": value} if n == "audit" else inputs) for t, n, inputs in TRAIL_STACK
    ]
    result = estimate(plan_of(stack), Context(lambda _: CostAssumptions()), PRICES)
    # Nothing reaches the log group (it has no other source), and the estimate says what it left out.
    assert "cloudwatch.logs_ingestion" not in quantities(result)
    [note] = result["notPriced"]
    assert note.startswith(f"trail audit ({ACCOUNT} us-east-1): CloudTrail events to its log group, ")
    assert f"cloudWatchLogsGroupArn {value!r} is not a log group ARN (unknown at preview?)" in note
    assert "not priced: trail audit" in report.heading(result)


@pytest.mark.parametrize(
    ("value", "group"),
    [
        (f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/trail:*", (ACCOUNT, "us-east-1", "/trail")),
        (f"arn:aws:logs:eu-west-1:{ACCOUNT}:log-group:/a/b", (ACCOUNT, "eu-west-1", "/a/b")),
        (f"arn:aws-cn:logs:us-east-1:{ACCOUNT}:log-group:/trail:*", None),  # not this platform's partition
        (f"arn:aws:logs:us-east-1:{ACCOUNT}:destination:/trail", None),
        ("arn:aws:logs:us-east-1", None),
        (PREVIEW_UNKNOWN, None),
        (None, None),
    ],
)
def test_log_group_of(value: object, group: tuple[str, str, str] | None) -> None:
    assert log_group_of(value) == group
