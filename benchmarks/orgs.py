"""Synthetic organisations for the benchmarks: the example inventory's monitoring account and defaults, with
N workload accounts of R regions and M models each, and a copy of the project whose stacks/ holds one stack
per account (so `obsctl plan --all` runs on it exactly as on the example org)."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

from inventory.load import PROJECT_DIR, STACKS_DIR

# Bedrock regions; the first six are the ones obsctl/cost/prices.yaml prices.
REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "eu-west-2",
    "eu-north-1",
    "ap-southeast-1",
    "ap-northeast-1",
)
MODELS = tuple(f"anthropic.claude-bench-{index}-v1:0" for index in range(10))
# What `obsctl plan` runs: the program, the tools and the policy pack (tests and benchmarks are not needed).
_PROJECT = ("__main__.py", "Pulumi.yaml", "components", "inventory", "obsctl", "policies", "program", "vocabulary")


def organisation(accounts: int, regions: int, models: int) -> dict[str, Any]:
    """The example org with `accounts` workload accounts `bench-000`, ... of `regions` regions and `models` models."""
    org = yaml.safe_load((STACKS_DIR / "org.yaml").read_text())
    template = copy.deepcopy(org["workload_accounts"][0])
    template.pop("settings", None)
    org["workload_accounts"] = [
        {
            **template,
            "name": account_name(index),
            "account_id": f"{100000000000 + index:012d}",
            "deploy_role_arn": f"arn:aws:iam::{100000000000 + index:012d}:role/deploy",
            "regions": list(REGIONS[:regions]),
            "models": list(MODELS[:models]),
        }
        for index in range(accounts)
    ]
    return org


def account_name(index: int) -> str:
    return f"bench-{index:03d}"


def write_inventory(org: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(org, sort_keys=False))
    return path


def stack_config(account: str, inventory: Path) -> dict[str, str]:
    """A stack's config (what stacks/Pulumi.<stack>.yaml holds) for an account of an inventory file."""
    return {"bedrock-observability:account": account, "bedrock-observability:inventory": str(inventory)}


def project_copy(org: dict[str, Any], root: Path) -> Path:
    """A copy of the project at `root` whose stacks/ is `org` with one stack per account, named after it."""
    root.mkdir(parents=True)
    for name in _PROJECT:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__", "venv"))
        else:
            shutil.copy2(source, root / name)
    stacks = root / "stacks"
    stacks.mkdir()
    write_inventory(org, stacks / "org.yaml")
    names = [org["monitoring_account"]["name"], *(account["name"] for account in org["workload_accounts"])]
    for name in names:
        config = {"config": {"bedrock-observability:account": name, "pulumi:disable-default-providers": ["*"]}}
        (stacks / f"Pulumi.{name}.yaml").write_text(yaml.safe_dump(config))
    return root
