"""verify against a real moto server: a deployment built from the plan's names passes, and each seeded
defect is named (check and resource), with nothing else failing.

Defects are seeded into accounts reached through STS AssumeRole of their deploy roles, each with every opt-in
verify follows (Object Lock, Insights, account-wide public access block, data protection); defects touching
different resources share an account (moto spends most of a test creating accounts and keys), so every
account's failures must be exactly the union of what its defects name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from obsctl.aws.session import Sessions
from obsctl.verify.checks import ALL_CHECKS
from obsctl.verify.checks.logging import LOGGING
from obsctl.verify.expected import expected_region
from obsctl.verify.run import RegionResult, verify_all
from obsctl.verify.shapes import ExpectedRegion
from tests.obsctl.moto_server import MotoServer
from tests.obsctl.verify.deploy import Deployment, Seeder, deploy_all
from tests.obsctl.verify.inventories import account, home_regions, organisation
from tests.obsctl.verify.seeds import (
    ACCESS,
    INV,
    TRAIL,
    access_log_bucket_logs_itself,
    access_log_grant_widened,
    aes256,
    alarm_name,
    bucket_name,
    critical_topic_admits_budgets,
    foreign_account_reads,
    key_id,
    key_policy,
    kms_encrypted,
    lifecycle_expiry,
    log_group_without_key,
    open_topic,
    policy_without_tls,
    public_policy_allowed,
    put_alarm,
    put_logging,
    retention_shortened,
    tag_role,
    topic_name,
    unsubscribe_first,
)
from vocabulary import names

Finding = tuple[str, str]  # (check, resource)
TRAIL_CHECKS = ("trail.logging", "trail.delivery-errors", "trail.multi-region", "trail.validation", "trail.kms",
                "trail.cloudwatch-logs", "trail.bucket", "trail.insights")  # fmt: skip
LOG_GROUP_CHECKS = ("log-group.retention", "log-group.kms", "log-group.deletion-protection")
LOGGING_CHECKS = ("logging.enabled", "logging.cloudwatch", "logging.s3", "logging.large-data", "logging.data-types")
TOPIC_CHECKS = ("topic.kms", "topic.policy", "topic.subscriptions")


@dataclass(frozen=True)
class Defect:
    slug: str
    # What it changes: defects with different targets can share an account without seeing each other.
    target: str
    seed: Callable[[Deployment], object]
    named: Callable[[ExpectedRegion], set[Finding]]


def _bucket_defect(slug: str, which: int, part: str, seed: Callable[[Deployment], object], *checks: str) -> Defect:
    """A defect in one setting (`part`) of one bucket; other settings of the bucket stay as deployed."""
    return Defect(slug, f"{part}-{which}", seed, lambda e: {(check, bucket_name(e, which)) for check in checks})


def _s3(method: str, which: int, **params: object) -> Callable[[Deployment], object]:
    return lambda d: getattr(d.client("s3"), method)(Bucket=bucket_name(d.expected, which), **params)


DEFECTS = (
    # --- invocation logging, log groups, key -----------------------------------------------------------------
    Defect("logging-off", "logging", lambda d: d.client("bedrock").delete_model_invocation_logging_configuration(),
           lambda e: {(check, LOGGING) for check in LOGGING_CHECKS}),
    Defect("logging-without-s3", "logging", lambda d: put_logging(d, s3Config=None),
           lambda e: {("logging.s3", LOGGING)}),
    Defect("image-logging-on", "logging", lambda d: put_logging(d, imageDataDeliveryEnabled=True),
           lambda e: {("logging.data-types", LOGGING)}),
    Defect("retention-changed", "trail-log-group",
           lambda d: d.client("logs").put_retention_policy(logGroupName=names.TRAIL_LOG_GROUP, retentionInDays=30),
           lambda e: {("log-group.retention", names.TRAIL_LOG_GROUP)}),
    Defect("log-group-unencrypted", "invocation-log-group", log_group_without_key,
           lambda e: {("log-group.kms", names.INVOCATION_LOG_GROUP)}),
    Defect("rotation-off", "key", lambda d: d.client("kms").disable_key_rotation(KeyId=key_id(d)),
           lambda e: {("key.rotation", e.key_alias_arn)}),
    Defect("key-disabled", "key", lambda d: d.client("kms").disable_key(KeyId=key_id(d)),
           lambda e: {("key.state", e.key_alias_arn)}),
    Defect("findings-log-group-deleted", "findings-log-group",
           lambda d: d.client("logs").delete_log_group(logGroupName=names.DATA_PROTECTION_FINDINGS_LOG_GROUP),
           lambda e: {(check, names.DATA_PROTECTION_FINDINGS_LOG_GROUP) for check in LOG_GROUP_CHECKS}),
    Defect("key-budgets-grant-removed", "key-policy", lambda d: key_policy(d, budgets=False),
           lambda e: {("key.policy", e.key_alias_arn)}),
    # --- log buckets: invocation, audit, access-log --------------------------------------------------------------
    _bucket_defect("encryption-removed", INV, "encryption", _s3("delete_bucket_encryption", INV),
                   "bucket.encryption"),
    _bucket_defect("encryption-aes256", TRAIL, "encryption", lambda d: aes256(d, TRAIL), "bucket.encryption"),
    _bucket_defect("access-log-bucket-kms", ACCESS, "encryption", lambda d: kms_encrypted(d, ACCESS),
                   "bucket.encryption"),
    _bucket_defect("public-access-block-removed", TRAIL, "pab", _s3("delete_public_access_block", TRAIL),
                   "bucket.public-access-block"),
    _bucket_defect("public-policy-allowed", INV, "pab", lambda d: public_policy_allowed(d, INV),
                   "bucket.public-access-block"),
    _bucket_defect("access-log-public-access-block-removed", ACCESS, "pab",
                   _s3("delete_public_access_block", ACCESS), "bucket.public-access-block"),
    _bucket_defect("versioning-suspended", INV, "versioning",
                   _s3("put_bucket_versioning", INV, VersioningConfiguration={"Status": "Suspended"}),
                   "bucket.versioning"),
    _bucket_defect("acls-enabled", INV, "ownership",
                   _s3("put_bucket_ownership_controls", INV,
                       OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]}),
                   "bucket.acls-disabled"),
    _bucket_defect("lifecycle-removed", TRAIL, "lifecycle", _s3("delete_bucket_lifecycle", TRAIL),
                   "bucket.lifecycle"),
    _bucket_defect("expiry-shortened", INV, "lifecycle", lambda d: lifecycle_expiry(d, INV, 30),
                   "bucket.lifecycle"),
    _bucket_defect("tls-statement-removed", TRAIL, "policy", lambda d: policy_without_tls(d, TRAIL),
                   "bucket.tls-only"),
    _bucket_defect("bucket-policy-deleted", INV, "policy", _s3("delete_bucket_policy", INV),
                   "bucket.tls-only", "bucket.kms-uploads-only", "bucket.delivery-policy"),
    _bucket_defect("foreign-account-reads", INV, "policy", lambda d: foreign_account_reads(d, INV),
                   "bucket.delivery-policy"),
    _bucket_defect("access-log-grant-widened", ACCESS, "policy", access_log_grant_widened,
                   "bucket.delivery-policy"),
    _bucket_defect("access-logging-off", INV, "logging",
                   _s3("put_bucket_logging", INV, BucketLoggingStatus={}),
                   "bucket.access-logging", "bucket.access-log-format"),
    _bucket_defect("access-log-bucket-logs-itself", ACCESS, "logging", access_log_bucket_logs_itself,
                   "bucket.access-logging"),
    _bucket_defect("role-tag-removed", INV, "tagging", _s3("delete_bucket_tagging", INV), "bucket.role-tag"),
    _bucket_defect("role-tag-spoofed", TRAIL, "tagging", lambda d: tag_role(d, TRAIL, names.ACCESS_LOGS_ROLE),
                   "bucket.role-tag"),
    _bucket_defect("object-lock-retention-shortened", TRAIL, "object-lock", lambda d: retention_shortened(d, TRAIL),
                   "bucket.object-lock"),
    Defect("account-public-access-block-removed", "account-pab",
           lambda d: d.client("s3control").delete_public_access_block(AccountId=d.account_id),
           lambda e: {("account.public-access-block", e.account_id)}),
    # --- trail -------------------------------------------------------------------------------------------------
    Defect("trail-stopped", "trail", lambda d: d.client("cloudtrail").stop_logging(Name=names.TRAIL_NAME),
           lambda e: {("trail.logging", names.TRAIL_NAME)}),
    Defect("trail-unvalidated", "trail",
           lambda d: d.client("cloudtrail").update_trail(Name=names.TRAIL_NAME, EnableLogFileValidation=False),
           lambda e: {("trail.validation", names.TRAIL_NAME)}),
    Defect("trail-single-region", "trail",
           lambda d: d.client("cloudtrail").update_trail(Name=names.TRAIL_NAME, IsMultiRegionTrail=False),
           lambda e: {("trail.multi-region", names.TRAIL_NAME)}),
    Defect("trail-deleted", "trail", lambda d: d.client("cloudtrail").delete_trail(Name=names.TRAIL_NAME),
           lambda e: {(check, names.TRAIL_NAME) for check in TRAIL_CHECKS}),
    Defect("insights-narrowed", "trail",
           lambda d: d.client("cloudtrail").put_insight_selectors(
               TrailName=names.TRAIL_NAME, InsightSelectors=[{"InsightType": "ApiCallRateInsight"}]),
           lambda e: {("trail.insights", names.TRAIL_NAME)}),
    # --- alarms, dashboards, metric filters ------------------------------------------------------------------------
    Defect("alarm-deleted", "alarm-0",
           lambda d: d.client("cloudwatch").delete_alarms(AlarmNames=[alarm_name(d.expected, 0)]),
           lambda e: {("alarm", alarm_name(e, 0))}),
    Defect("alarm-rerouted", "alarm-1", lambda d: put_alarm(d, 1, tier="critical"),
           lambda e: {("alarm", alarm_name(e, 1))}),
    Defect("alarm-threshold-edited", "alarm-2", lambda d: put_alarm(d, 2, Threshold=999999.0),
           lambda e: {("alarm", alarm_name(e, 2))}),
    Defect("alarm-actions-disabled", "alarm-3", lambda d: put_alarm(d, 3, ActionsEnabled=False),
           lambda e: {("alarm", alarm_name(e, 3))}),
    Defect("dashboard-deleted", "dashboard-0",
           lambda d: d.client("cloudwatch").delete_dashboards(
               DashboardNames=[d.expected.monitoring.dashboards[0].name]),
           lambda e: {("dashboard", e.monitoring.dashboards[0].name)}),
    Defect("dashboard-edited", "dashboard-1",
           lambda d: d.client("cloudwatch").put_dashboard(DashboardName=d.expected.monitoring.dashboards[1].name,
                                                          DashboardBody='{"widgets": []}'),
           lambda e: {("dashboard", e.monitoring.dashboards[1].name)}),
    Defect("metric-filter-deleted", "metric-filter",
           lambda d: d.client("logs").delete_metric_filter(logGroupName=names.TRAIL_LOG_GROUP,
                                                           filterName=d.expected.monitoring.metric_filters[0].spec.name),
           lambda e: {("metric-filter", e.monitoring.metric_filters[0].spec.name)}),
    # --- topics, subscriptions, budget ----------------------------------------------------------------------------
    Defect("topic-deleted", "topic-critical",
           lambda d: d.client("sns").delete_topic(TopicArn=d.expected.topic_arn("critical")),
           lambda e: {(check, topic_name(e, "critical")) for check in TOPIC_CHECKS}),
    Defect("topic-unencrypted", "topic-warning",
           lambda d: d.client("sns").set_topic_attributes(TopicArn=d.expected.topic_arn("warning"),
                                                          AttributeName="KmsMasterKeyId", AttributeValue=""),
           lambda e: {("topic.kms", topic_name(e, "warning"))}),
    Defect("topic-policy-opened", "topic-critical", lambda d: open_topic(d, "critical"),
           lambda e: {("topic.policy", topic_name(e, "critical"))}),
    Defect("subscriber-removed", "topic-warning", lambda d: unsubscribe_first(d, "warning"),
           lambda e: {("topic.subscriptions", topic_name(e, "warning"))}),
    Defect("budget-deleted", "budget",
           lambda d: d.client("budgets").delete_budget(AccountId=d.account_id, BudgetName=d.expected.budget.name),
           lambda e: {("budget", e.budget.name), ("budget.notifications", e.budget.name)}),
)  # fmt: skip


def _pack(defects: tuple[Defect, ...]) -> list[list[Defect]]:
    """Accounts of defects with pairwise different targets (first fit, in table order)."""
    accounts: list[list[Defect]] = []
    for defect in defects:
        home = next((a for a in accounts if defect.target not in {d.target for d in a}), None)
        if home is None:
            accounts.append(home := [])
        home.append(defect)
    return accounts


ACCOUNTS = _pack(DEFECTS)


def _failing(result: RegionResult) -> set[Finding]:
    return {(r.check, r.resource) for r in result.records if r.status in ("fail", "error")}


def _verify(moto: MotoServer, targets: list[ExpectedRegion]) -> list[RegionResult]:
    return verify_all(Sessions(endpoint_url=moto.endpoint), targets, concurrency=4)


def test_a_correct_deployment_passes_and_what_moto_lacks_is_skipped_with_the_reason(moto: MotoServer) -> None:
    org = organisation([account("correct", "100000000000", ("us-east-1", "eu-west-1"), options=True)])
    solo = org.workload_accounts[0]
    regions = [expected_region("correct", org, solo, region) for region in solo.regions]
    deploy_all(Seeder(moto), regions)
    results = _verify(moto, regions)
    records = [r for result in results for r in result.records]
    assert {r.status for r in records} == {"pass", "skip"}, [r for r in records if r.status not in ("pass", "skip")]
    skipped = {r.check for r in records if r.status == "skip"}
    assert skipped == {"saved-query", "oam.link", "log-group.deletion-protection", "alarm.composite",
                       "log-group.data-protection", "bucket.access-log-format"}  # fmt: skip
    assert all("emulator" in r.detail or "does not report" in r.detail for r in records if r.status == "skip")
    # Every check of the table ran where it applies: the home region carries the trail, its bucket's Object
    # Lock and Insights, the budget and the account-wide public access block.
    home = {r.check for r in results[0].records}
    assert {"trail.logging", "trail.insights", "budget", "metric-filter", "alarm", "dashboard", "topic.subscriptions",
            "bucket.object-lock", "account.public-access-block"} <= home  # fmt: skip
    once = {
        "trail.logging",
        "trail.insights",
        "budget",
        "metric-filter",
        "bucket.object-lock",
        "account.public-access-block",
    }
    assert not {r.check for r in results[1].records} & once
    buckets = {(r.check, r.resource) for result in results for r in result.records if r.check.startswith("bucket.")}
    assert {("bucket.access-logging", b.name) for e in regions for b in e.buckets} <= buckets
    assert len({r.check for r in records}) == len(ALL_CHECKS)


def test_budgets_are_granted_in_the_home_region_only(moto: MotoServer) -> None:
    """The key and critical topic of a region other than the home region admitting AWS Budgets, as the program
    would write them there if the flag leaked: only those two fail, only in that region."""
    org = organisation([account("budgets", "300000000000", ("us-east-1", "eu-west-1"))])
    solo = org.workload_accounts[0]
    regions = [expected_region("budgets", org, solo, region) for region in solo.regions]
    [_, other] = deploy_all(Seeder(moto), regions)
    key_policy(other, budgets=True)
    critical_topic_admits_budgets(other)
    failing = {(result.expected.region, *finding) for result in _verify(moto, regions) for finding in _failing(result)}
    assert failing == {
        ("eu-west-1", "key.policy", f"arn:aws:kms:eu-west-1:300000000000:{names.KEY_ALIAS}"),
        ("eu-west-1", "topic.policy", topic_name(other.expected, "critical")),
    }


def test_defects_are_packed_into_few_accounts_and_all_are_covered() -> None:
    assert sorted(d.slug for a in ACCOUNTS for d in a) == sorted(d.slug for d in DEFECTS)
    assert len(ACCOUNTS) <= 5


@pytest.mark.parametrize("index", range(len(ACCOUNTS)), ids=lambda i: "+".join(d.slug for d in ACCOUNTS[i])[:60])
def test_each_seeded_defect_is_named_and_nothing_else_fails(moto: MotoServer, index: int) -> None:
    defects = ACCOUNTS[index]
    [expected] = home_regions(organisation([account(f"defects-{index}", f"{200000000000 + index}", options=True)]))
    [deployment] = deploy_all(Seeder(moto), [expected])
    for defect in defects:
        defect.seed(deployment)
    [result] = _verify(moto, [expected])
    wanted = {finding: defect.slug for defect in defects for finding in defect.named(expected)}
    assert {finding: wanted.get(finding, "unexpected") for finding in _failing(result)} == wanted


def test_a_deleted_composite_alarm_fails_on_the_emulator_too(moto: MotoServer) -> None:
    [expected] = home_regions(organisation([account("composite", "500000000000")]))
    [deployment] = deploy_all(Seeder(moto), [expected])
    deleted = expected.monitoring.composite_alarms[0].name
    deployment.client("cloudwatch").delete_alarms(AlarmNames=[deleted])
    [result] = _verify(moto, [expected])
    composites = {r.resource: (r.status, r.detail) for r in result.records if r.check == "alarm.composite"}
    assert composites.pop(deleted) == ("fail", "composite alarm does not exist")
    assert {status for status, _ in composites.values()} <= {"skip"}  # any other exists (details: AWS's)
    assert _failing(result) == {("alarm.composite", deleted)}
