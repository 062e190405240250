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
