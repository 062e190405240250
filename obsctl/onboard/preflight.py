"""`obsctl onboard --preflight`: is the account ready for its first `pulumi up`?

With the operator's credentials, assumes the account's deploy role and checks, per region, what would make
the deploy fail or silently change something that already exists. One finding per check: pass, warn
(the deploy works but replaces or collides with something: an import command is shown), fail (fix it
first), skip (the endpoint does not implement the API: an emulator).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from inventory.models import Organisation, WorkloadAccount
from obsctl.aws.errors import AwsProblem, classify
from obsctl.aws.session import AccountSession, Sessions
from obsctl.onboard.imports import ImportCommands
from vocabulary import arns, limits, names

Status = Literal["pass", "warn", "fail", "skip"]
ACCOUNT_WIDE = "-"
LOGGING_TYPE = "aws:bedrockmodel/invocationLoggingConfiguration:InvocationLoggingConfiguration"
TRAIL_TYPE = "aws:cloudtrail/trail:Trail"
LINK_TYPE = "aws:oam/link:Link"
BUDGET_TYPE = "aws:budgets/budget:Budget"


@dataclass(frozen=True)
class Finding:
    region: str
    check: str
    status: Status
    detail: str
    # A `pulumi import` command adopting what already exists (warn findings).
    command: str = ""


@dataclass(frozen=True)
class Target:
    account: WorkloadAccount
    org: Organisation
    session: AccountSession
    imports: ImportCommands


def _problem_finding(region: str, check: str, error: BaseException) -> Finding:
    kind, reason = classify(error)
    if kind == "unsupported":
        return Finding(region, check, "skip", f"{reason} (an emulator); real AWS answers this check")
    return Finding(region, check, "fail", reason)


def _guarded(check: str, fn: Callable[[Target, str], list[Finding]]) -> Callable[[Target, str], list[Finding]]:
    def run(target: Target, region: str) -> list[Finding]:
        try:
            return fn(target, region)
        except Exception as error:  # classify re-raises anything that is not an AWS/botocore error
            return [_problem_finding(region, check, error)]

    return run


# --- per region ---------------------------------------------------------------------------------------


def _models(target: Target, region: str) -> list[Finding]:
    bedrock = target.session.client("bedrock", region)
    models = target.account.models_in(region)
    try:
        offered = {m["modelId"] for m in bedrock.list_foundation_models()["modelSummaries"]}
    except Exception as error:
        reachable = _problem_finding(region, "bedrock.reachable", error)
        unchecked = "skip" if reachable.status == "skip" else "fail"
        why = f"not checked: {reachable.detail}"
        return [reachable, *(Finding(region, f"bedrock.model {model}", unchecked, why) for model in models)]
    findings = [Finding(region, "bedrock.reachable", "pass", f"ListFoundationModels: {len(offered)} models offered")]
    return findings + [_model(bedrock, region, model, offered) for model in models]


def _model(bedrock: Any, region: str, model: str, offered: set[str]) -> Finding:
    check = f"bedrock.model {model}"
    if model in offered:
        return Finding(region, check, "pass", "offered in the region")
    if model.split(".", 1)[0] in _profile_prefixes():
        try:
            bedrock.get_inference_profile(inferenceProfileIdentifier=model)
            return Finding(region, check, "pass", "inference profile exists in the region")
        except Exception as error:
            if classify(error)[0] != "not_found":
                return _problem_finding(region, check, error)
    return Finding(
        region,
        check,
        "fail",
        f"not offered in {region}; fix: pick a model offered there (aws bedrock list-foundation-models "
        f"--region {region}) or leave the region out",
    )


def _profile_prefixes() -> set[str]:
    from inventory.aws_facts import INFERENCE_PROFILE_REGION_PREFIXES

    return set(INFERENCE_PROFILE_REGION_PREFIXES)


def _logging(target: Target, region: str) -> list[Finding]:
    response = target.session.client("bedrock", region).get_model_invocation_logging_configuration()
    config = response.get("loggingConfig") or {}
    if not config:
        return [Finding(region, "logging.existing", "pass", "no invocation logging configuration yet")]
    destinations = describe_destinations(config)
    ours = (config.get("s3Config") or {}).get("bucketName") == names.invocation_bucket(
        target.account.account_id, region
    )
    if ours:
        return [Finding(region, "logging.existing", "warn", f"already delivers to the platform's: {destinations}")]
    detail = (
        f"one configuration per region exists, delivering to {destinations}; `pulumi up` would replace it (logs "
        "already delivered stay where they are); to adopt it instead, import it (command below)"
    )
    return [Finding(region, "logging.existing", "warn", detail, target.imports.command(LOGGING_TYPE, region, region))]


def describe_destinations(config: dict[str, Any]) -> str:
    parts = []
    cloudwatch = config.get("cloudWatchConfig") or {}
    if cloudwatch.get("logGroupName"):
        parts.append(f"CloudWatch Logs {cloudwatch['logGroupName']} (role {cloudwatch.get('roleArn', '?')})")
        large = cloudwatch.get("largeDataDeliveryS3Config") or {}
        if large.get("bucketName"):
            parts.append(f"large data s3://{large['bucketName']}/{large.get('keyPrefix', '')}")
    s3 = config.get("s3Config") or {}
    if s3.get("bucketName"):
        parts.append(f"s3://{s3['bucketName']}/{s3.get('keyPrefix', '')}")
    return ", ".join(parts) or "no destination"


def _oam_link(target: Target, region: str) -> list[Finding]:
    monitoring = target.org.monitoring_account.account_id
    links = target.session.client("oam", region).list_links().get("Items", [])
    sink_prefix = arns.sink_arn(region, monitoring, "")
    ours = [link for link in links if str(link.get("SinkArn", "")).startswith(sink_prefix)]
    if not ours:
        return [Finding(region, "oam.link", "pass", f"no link to the monitoring account {monitoring} yet")]
    detail = f"a link to the monitoring account's sink exists ({ours[0]['Arn']}); creating another fails; import it"
    return [Finding(region, "oam.link", "warn", detail, target.imports.command(LINK_TYPE, ours[0]["Arn"], region))]


# --- home region and account-wide ---------------------------------------------------------------------------


def _trails(target: Target, region: str) -> list[Finding]:
    trails = target.session.client("cloudtrail", region).describe_trails(includeShadowTrails=True)["trailList"]
    limit = limits.MAX_TRAILS_PER_REGION
    mine = [t for t in trails if t.get("Name") == names.TRAIL_NAME]
    if mine:
        command = target.imports.command(TRAIL_TYPE, mine[0]["TrailARN"])
        detail = f"{names.TRAIL_NAME} already exists; creating it fails; import it"
        return [Finding(region, "cloudtrail.trails", "warn", detail, command)]
    count = len(trails)
    if count >= limit:
        listed = ", ".join(sorted(str(t.get("Name")) for t in trails))
        return [
            Finding(
                region,
                "cloudtrail.trails",
                "fail",
                f"{count} trails apply to {region} ({listed}): CloudTrail allows {limit} per region and the platform "
                "adds one; fix: remove a trail, or set audit.enabled: false where an organisation trail covers "
                "the account",
            )
        ]
    return [Finding(region, "cloudtrail.trails", "pass", f"{count} of {limit} trails per region in use; +1 fits")]


def _budget(target: Target, region: str) -> list[Finding]:
    account = target.account
    name = names.budget_name(account.name)
    budgets = target.session.client("budgets", region)
    try:
        budgets.describe_budget(AccountId=account.account_id, BudgetName=name)
    except Exception as error:
        if classify(error)[0] == "not_found":
            return [Finding(ACCOUNT_WIDE, "budget.existing", "pass", f"no budget named {name} yet")]
        raise
    command = target.imports.command(BUDGET_TYPE, f"{account.account_id}:{name}")
    return [Finding(ACCOUNT_WIDE, "budget.existing", "warn", f"{name} exists; creating it fails; import it", command)]


REGION_CHECKS = (
    _guarded("bedrock.reachable", _models),
    _guarded("logging.existing", _logging),
    _guarded("oam.link", _oam_link),
)
HOME_CHECKS = (_guarded("cloudtrail.trails", _trails),)
ACCOUNT_CHECKS = (_guarded("budget.existing", _budget),)


def _role(sessions: Sessions, account: WorkloadAccount) -> tuple[AccountSession | None, Finding]:
    role = account.deploy_role_arn
    try:
        session = sessions.for_role(role)
        seen = session.client("sts", account.home_region).get_caller_identity()["Account"]
    except AwsProblem as problem:
        return None, Finding(ACCOUNT_WIDE, "deploy-role", "fail", str(problem))
    except Exception as error:
        return None, _problem_finding(ACCOUNT_WIDE, "deploy-role", error)
    if seen != account.account_id:
        detail = f"{role} lands in account {seen}, not {account.account_id}; fix: --role-arn of this account"
        return None, Finding(ACCOUNT_WIDE, "deploy-role", "fail", detail)
    return session, Finding(ACCOUNT_WIDE, "deploy-role", "pass", f"assumed {role}")


def run_preflight(
    account: WorkloadAccount, org: Organisation, sessions: Sessions, imports: ImportCommands
) -> list[Finding]:
    session, role = _role(sessions, account)
    if session is None:
        return [role]
    target = Target(account, org, session, imports)
    findings = [role]
    for region in account.regions:
        for check in REGION_CHECKS:
            findings += check(target, region)
        if region == account.home_region and account.settings.audit.enabled:
            for check in HOME_CHECKS:
                findings += check(target, region)
    if account.settings.monitoring.budget.enabled:
        for check in ACCOUNT_CHECKS:
            findings += check(target, account.home_region)
    return findings
