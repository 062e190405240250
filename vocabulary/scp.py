"""Service control policies a landing-zone team attaches above the workload accounts (`policies/scp/`).

This repository cannot stop someone with the right IAM permissions from switching its logging off: the
guardrail that can sits outside it, in AWS Organizations. These documents deny, to every principal except
the deploy role, what would silence or erase the platform's logs: deleting or replacing the Bedrock
invocation logging configuration, stopping or narrowing the trail, deleting log groups or loosening their
retention, masking or encryption, scheduling the keys' deletion, and rewriting or deleting the log buckets'
policies and settings. Names come from `vocabulary.names`, so the documents follow the program.

The committed JSON files are rendered from here (`python -m vocabulary.scp [--deploy-role-name NAME]
[--out DIR]`); a test keeps them identical.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from vocabulary import arns, names
from vocabulary.iam import Statement, policy

# The deploy role's name in every account of the example inventory (`deploy_role_arn`).
DEFAULT_DEPLOY_ROLE_NAME = "bedrock-observability-deploy"
# AWS Organizations: an SCP document holds at most 5,120 characters.
MAX_SCP_CHARACTERS = 5_120

LOG_BUCKET_PATTERNS = (
    names.invocation_bucket("*", "*").replace("*-*", "*"),
    names.trail_bucket("*", "*").replace("*-*", "*"),
    names.access_log_bucket("*", "*").replace("*-*", "*"),
)
LOG_GROUP_PATTERNS = ("/bedrock-observability/*", "/aws/vendedlogs/bedrock-observability/*")
KEY_ALIASES = (names.KEY_ALIAS, names.ORG_ALERT_KEY_ALIAS)


def _except(deploy_role_name: str) -> dict[str, Any]:
    # aws:PrincipalArn of an assumed-role session is the role's ARN, so the exception holds for every session
    # of the deploy role, in any account the SCP is attached above.
    return {"ArnNotLike": {"aws:PrincipalArn": arns.role_arn("*", deploy_role_name)}}


def _deny(sid: str, actions: list[str], resources: list[str] | str, condition: dict[str, Any]) -> Statement:
    return {"Sid": sid, "Effect": "Deny", "Action": actions, "Resource": resources, "Condition": condition}


def protect_logging(deploy_role_name: str = DEFAULT_DEPLOY_ROLE_NAME) -> dict[str, Any]:
    """Invocation logging, the trail, the log groups and the keys: nobody but the deploy role turns them off."""
    only_deploy = _except(deploy_role_name)
    log_groups = [arns.log_group_arn("*", "*", pattern) for pattern in LOG_GROUP_PATTERNS]
    return policy(
        [
            _deny(
                "ProtectBedrockInvocationLogging",
                [
                    "bedrock:DeleteModelInvocationLoggingConfiguration",
                    "bedrock:PutModelInvocationLoggingConfiguration",
                ],
                "*",  # the logging configuration has no resource ARN: one per account and region
                only_deploy,
            ),
            _deny(
                "ProtectAuditTrail",
                [
                    "cloudtrail:DeleteTrail",
                    "cloudtrail:PutEventSelectors",
                    "cloudtrail:PutInsightSelectors",
                    "cloudtrail:StopLogging",
                    "cloudtrail:UpdateTrail",
                ],
                arns.trail_arn("*", "*", names.TRAIL_NAME),
                only_deploy,
            ),
            _deny(
                "ProtectLogGroups",
                [
                    "logs:AssociateKmsKey",
                    "logs:DeleteDataProtectionPolicy",
                    "logs:DeleteLogGroup",
                    "logs:DeleteLogStream",
                    "logs:DeleteRetentionPolicy",
                    "logs:DisassociateKmsKey",
                    "logs:PutDataProtectionPolicy",
                    "logs:PutLogGroupDeletionProtection",
                    "logs:PutRetentionPolicy",
                ],
                log_groups,
                only_deploy,
            ),
            _deny(
                "ProtectLogKeys",
                ["kms:DisableKey", "kms:DisableKeyRotation", "kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"],
                "*",
                # Keys are found by their alias (their ids are random); the next statement keeps the alias on.
                {"ForAnyValue:StringEquals": {"kms:ResourceAliases": list(KEY_ALIASES)}, **only_deploy},
            ),
            _deny(
                "ProtectLogKeyAliases",
                ["kms:DeleteAlias", "kms:UpdateAlias"],
                [arns.kms_alias_arn("*", "*", alias) for alias in KEY_ALIASES],
                only_deploy,
            ),
        ]
    )


def protect_log_buckets(deploy_role_name: str = DEFAULT_DEPLOY_ROLE_NAME) -> dict[str, Any]:
    """The log buckets keep their policy, encryption, versioning, lifecycle, access logging and objects."""
    buckets = [arns.bucket_arn(pattern) for pattern in LOG_BUCKET_PATTERNS]
    return policy(
        [
            _deny(
                "ProtectLogBucketSettings",
                [
                    # IAM action names, which differ from some API names: PutLifecycleConfiguration also
                    # guards DeleteBucketLifecycle, PutEncryptionConfiguration DeleteBucketEncryption, and
                    # PutBucketPublicAccessBlock DeletePublicAccessBlock.
                    "s3:DeleteBucket",
                    "s3:DeleteBucketOwnershipControls",
                    "s3:DeleteBucketPolicy",
                    "s3:PutBucketLogging",
                    "s3:PutBucketObjectLockConfiguration",
                    "s3:PutBucketOwnershipControls",
                    "s3:PutBucketPolicy",
                    "s3:PutBucketPublicAccessBlock",
                    "s3:PutBucketVersioning",
                    "s3:PutEncryptionConfiguration",
                    "s3:PutLifecycleConfiguration",
                ],
                buckets,
                _except(deploy_role_name),
            ),
            # Deleting a version erases a log for good; lifecycle expiry (not an IAM principal) is the only
            # deletion the platform needs, so not even the deploy role is excepted.
            {
                "Sid": "NoOneErasesLogObjectVersions",
                "Effect": "Deny",
                "Action": "s3:DeleteObjectVersion",
                "Resource": [f"{bucket}/*" for bucket in buckets],
            },
        ]
    )


def deny_unmask(unmask_role_name: str = "bedrock-observability-unmask") -> dict[str, Any]:
    """Masked prompt data stays masked: only a named break-glass role may call `logs:Unmask`."""
    return policy(
        [
            _deny(
                "OnlyTheBreakGlassRoleUnmasksPrompts",
                ["logs:Unmask"],
                [arns.log_group_arn("*", "*", f"{names.INVOCATION_LOG_GROUP}*")],
                _except(unmask_role_name),
            )
        ]
    )


def documents(deploy_role_name: str = DEFAULT_DEPLOY_ROLE_NAME) -> dict[str, dict[str, Any]]:
    """File name -> SCP document."""
    return {
        "protect-bedrock-logging.json": protect_logging(deploy_role_name),
        "protect-log-buckets.json": protect_log_buckets(deploy_role_name),
        "deny-prompt-unmask.json": deny_unmask(),
    }


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m vocabulary.scp", description=__doc__.split("\n")[0])
    parser.add_argument("--deploy-role-name", default=DEFAULT_DEPLOY_ROLE_NAME)
    parser.add_argument("--out", type=Path, default=Path(__file__).parents[1] / "policies" / "scp")
    options = parser.parse_args(argv)
    options.out.mkdir(parents=True, exist_ok=True)
    for name, document in documents(options.deploy_role_name).items():
        text = render(document)
        if len(text) > MAX_SCP_CHARACTERS:
            raise SystemExit(f"{name}: {len(text)} characters, over the SCP limit of {MAX_SCP_CHARACTERS}")
        (options.out / name).write_text(text)
        print(f"wrote {options.out / name} ({len(text)} characters)")


if __name__ == "__main__":
    main()
