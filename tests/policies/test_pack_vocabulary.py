"""The pack is installed on its own and imports nothing from the project (test_pack.py), so it keeps its own
copy of the few names it shares with the components: each copy must equal the vocabulary's value."""

from __future__ import annotations

import sys

from obsctl.policy import PACK_DIR
from vocabulary import names

sys.path.insert(0, str(PACK_DIR))
from bedrock_guardrails import _buckets


def test_bucket_role_tag_and_values_are_the_vocabulary_s() -> None:
    assert _buckets.ROLE_TAG == names.BUCKET_ROLE_TAG
    assert _buckets.ROLES == names.BUCKET_ROLES
    assert _buckets.ACCESS_LOGS == names.ACCESS_LOGS_ROLE


def test_the_oam_filters_the_program_renders_are_the_pack_defaults() -> None:
    from bedrock_guardrails import placement

    from vocabulary import oam

    defaults = placement.oam_shared_types.config_schema.properties
    assert placement._namespaces(oam.metric_filter()) == defaults["allowedMetricNamespaces"]["default"]
    assert placement._log_patterns(oam.log_group_filter()) == defaults["allowedLogGroupPatterns"]["default"]
