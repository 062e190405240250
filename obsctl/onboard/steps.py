"""The operator's next steps after onboarding, in the order that works.

The monitoring stack goes first when the account brings a region no other account uses (its OAM sink there
does not exist yet: the workload stack's preview fails on the missing `oamSinkArns` entry) or when the sink
policies list account ids (no `organization_id`): a link is refused until the policy admits the account.
"""

from __future__ import annotations

from dataclasses import dataclass

from inventory.models import Organisation, WorkloadAccount


@dataclass(frozen=True)
class Step:
    title: str
    commands: tuple[str, ...]
    why: str = ""


def new_regions(org: Organisation, account: WorkloadAccount) -> list[str]:
    """The account's regions no other workload account uses (no OAM sink there yet)."""
    others = {region for other in org.workload_accounts if other.name != account.name for region in other.regions}
    return [region for region in account.regions if region not in others]


def _monitoring_step(org: Organisation, account: WorkloadAccount) -> tuple[Step | None, Step | None]:
    """(step before the account's stack, step that may follow it)."""
    monitoring = org.monitoring_account
    stack = monitoring.stack
    commands = (
        f"python -m obsctl plan --stack {stack} --out build/plans/{stack}.json",
        f"python -m obsctl policy-check build/plans/{stack}.json",
        f"pulumi up --stack {stack}",
    )
    reasons = []
    regions = new_regions(org, account)
    if regions:
        reasons.append(
            f"{', '.join(regions)} {'is' if len(regions) == 1 else 'are'} used by no other account: the monitoring "
            f"stack creates the OAM sink there ({', '.join(regions)})"
        )
    if monitoring.settings.organization_id is None:
        reasons.append(
            f"its sink policies list workload account ids: they must admit {account.account_id} before the "
            "account's OAM links can be created"
        )
    if reasons:
        return Step(f"Update the monitoring stack FIRST ({stack})", commands, "; ".join(reasons)), None
    if monitoring.settings.alarms.per_account_error_rate_alarms:
        why = "the sinks admit the whole organisation; this only adds the account's per-account error-rate alarms"
        return None, Step(f"Update the monitoring stack ({stack}), any time after", commands[-1:], why)
    return None, None


def next_steps(org: Organisation, account: WorkloadAccount, preflight_done: bool) -> list[Step]:
    name = account.name
    plan = f"build/plans/{name}.json"
    first, later = _monitoring_step(org, account)
    steps = [
        Step("Review and commit the change", ("git diff -- stacks/",)),
        Step(
            "Plan the new stack offline and policy-check it",
            (f"python -m obsctl plan --stack {name} --out {plan}", f"python -m obsctl policy-check {plan}"),
        ),
    ]
    if not preflight_done:
        steps.append(
            Step(
                "Check the account is ready (deploy role, models, existing logging config, trails, budget)",
                (_preflight_command(account),),
            )
        )
    if first:
        steps.append(first)
    steps.append(
        Step(
            f"Deploy the account ({name})",
            (
                f"pulumi stack select {name} --create",
                f"pulumi preview --stack {name} --policy-pack policies",
                f"pulumi up --stack {name}",
            ),
        )
    )
    if later:
        steps.append(later)
    steps += [
        Step("Verify what is deployed against the inventory", (f"python -m obsctl verify --stack {name}",)),
        Step(
            "End to end: one small Converse call per region, then wait for its invocation log",
            (f"python -m obsctl verify --stack {name} --smoke --yes",),
        ),
    ]
    return steps


def _preflight_command(account: WorkloadAccount) -> str:
    return (
        f"python -m obsctl onboard --name {account.name} --account-id {account.account_id} "
        f"--regions {','.join(account.regions)} --models {','.join(account.models)} --preflight"
    )
