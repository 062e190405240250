"""The plan recorder answers the way AWS and the engine would: ids from what AWS knows a resource by, an
aliased resource keeping the id it has in the old state, aliases resolved and recorded."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from obsctl.plan.placeholders import Placement, resource_state, sink_arn
from tests import harness
from vocabulary import names


def _key(name: str, aliases: list[pulumi.Alias] | None = None) -> harness.Recorded:
    recorded, _ = harness.run(
        lambda: aws.kms.Key(name, region="eu-west-1", opts=pulumi.ResourceOptions(aliases=aliases)).arn
    )
    return recorded


def test_a_resource_renamed_with_an_alias_keeps_its_id_and_records_the_alias() -> None:
    (before,) = _key("org-alerts-eu-west-1-key").resources
    (after,) = _key("org-monitoring-alerts-eu-west-1-key", [pulumi.Alias(name="org-alerts-eu-west-1-key")]).resources
    assert after.aliases == [before.urn]
    assert after.id == before.id and after.outputs["arn"] == before.outputs["arn"]
    assert after.outputs["arn"].startswith(f"arn:aws:kms:eu-west-1:{harness.ACCOUNT_ID}:key/")
    (renamed,) = _key("org-monitoring-alerts-eu-west-1-key").resources  # no alias: a new key
    assert renamed.id != before.id and renamed.aliases == []


def test_sink_arns_come_from_account_region_and_physical_name_only() -> None:
    where = Placement("999999999999", "eu-west-1")
    arns = {
        resource_state("aws:oam/sink:Sink", logical, {"name": names.SINK_NAME}, where)[1]["arn"]
        for logical in ("oam-sink-eu-west-1", "org-monitoring-sink-eu-west-1")
    }
    assert arns == {sink_arn("999999999999", "eu-west-1", names.SINK_NAME)}


def test_outputs_keep_the_inputs_aws_was_given() -> None:
    topic = "arn:aws:sns:eu-west-1:111122223333:t"
    _, state = resource_state("aws:sns/topicPolicy:TopicPolicy", "p", {"arn": topic}, Placement("1", "eu-west-1"))
    assert state["arn"] == topic
