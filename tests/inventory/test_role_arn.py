"""The deploy role ARN check follows the vocabulary's partition (vocabulary.arns), not a literal of its own."""

from __future__ import annotations

import inspect
import re

import pytest

from inventory import models
from vocabulary import arns


def test_the_vocabulary_role_arn_passes() -> None:
    models._check_role_arn(arns.role_arn("111111111111", "path/bedrock-observability-deploy"), "111111111111")


def test_another_partition_is_refused_with_the_vocabulary_form() -> None:
    with pytest.raises(ValueError, match=r"not an IAM role ARN; fix: use arn:aws:iam::<account id>:role/<name>"):
        models._check_role_arn("arn:aws-cn:iam::111111111111:role/deploy", "111111111111")


def test_the_pattern_is_built_from_the_partition() -> None:
    assert models._ROLE_ARN.pattern.startswith(f"arn:{re.escape(arns.PARTITION)}:iam::")
    source = inspect.getsource(models)
    assert "arn:aws:" not in source.split("_ROLE_ARN = ", 1)[1].split("\n)", 1)[0]
