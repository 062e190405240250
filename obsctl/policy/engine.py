"""Running the pack offline: pulumi-policy's own analyzer servicer, fed the engine's messages.

No cloud and no Pulumi CLI: the plan documents (`obsctl plan`, or `pulumi preview --json --show-sames`)
become the analyzer protocol's messages (translate.py) and go to the servicer `PolicyPack` serves over gRPC
under the CLI. Enforcement levels, per-policy config, not-applicable results and "unknown during preview"
handling are therefore pulumi-policy's own code; this module only re-does what the CLI does around it:
config reconciliation (config.py), Analyze per resource and AnalyzeStack once, resource diagnostics
attributed to the analyzed resource's URN (as the engine's step generator does), and a mandatory (or
remediate) violation failing the run. The plan-only rules (plan_rules.py) run beside the pack.

The servicer is private API, reached through `obsctl.pulumi_internals` (pinned versions, checked there).
"""

from __future__ import annotations

import pathlib
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import yaml
from pulumi.runtime.proto import analyzer_pb2

from obsctl.policy.config import Config, configure, reconcile_config
from obsctl.policy.plan import Plan, validate_plan
from obsctl.policy.plan_rules import PLAN_RULES, PlanRule
from obsctl.policy.report import CheckResult, Finding, NotApplicable, PlanReport
from obsctl.policy.translate import analyze_messages, configure_stack_request

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
PACK_DIR = REPO_ROOT / "policies"


def load_pack() -> ModuleType:
    """Import the pack's rules package the way the CLI sees it (policies/ on sys.path)."""
    if str(PACK_DIR) not in sys.path:
        sys.path.insert(0, str(PACK_DIR))
    import bedrock_guardrails

    return bedrock_guardrails


def pack_version() -> str:
    """The version the CLI reports: PulumiPolicy.yaml's `version` (pulumi-policy's own is a fallback)."""
    document = yaml.safe_load((PACK_DIR / "PulumiPolicy.yaml").read_text()) or {}
    return str(document.get("version") or "0.0.1")


def make_servicer(pack: ModuleType, policies: Sequence[Any] | None = None) -> Any:
    from obsctl.pulumi_internals import analyzer_servicer

    return analyzer_servicer(
        pack.PACK_NAME,
        pack_version(),
        list(policies if policies is not None else pack.ALL_POLICIES),
        pack.PACK_ENFORCEMENT_LEVEL,
        pack.PACK_DESCRIPTION,
    )


def _level(value: int) -> str:
    return analyzer_pb2.EnforcementLevel.Name(value).lower()


def _collect(report: PlanReport, response: Any, default_urn: str) -> None:
    for diagnostic in response.diagnostics:
        message = diagnostic.message
        prefix = diagnostic.description + "\n"
        if message.startswith(prefix):
            message = message[len(prefix) :]
        level = _level(diagnostic.enforcementLevel)
        report.findings.append(
            Finding(
                plan=report.plan,
                policy=diagnostic.policyName,
                level="mandatory" if level == "remediate" else level,
                urn=default_urn or diagnostic.urn,
                message=message,
                description=diagnostic.description,
                severity=analyzer_pb2.PolicySeverity.Name(diagnostic.severity).removeprefix("POLICY_SEVERITY_").lower(),
                unknown_at_preview=message.startswith(f"can't run policy '{diagnostic.policyName}'"),
            )
        )
    for entry in response.not_applicable:
        report.not_applicable.append(NotApplicable(report.plan, entry.policy_name, default_urn, entry.reason))


def _run_plan_rules(report: PlanReport, plan: Plan, rules: Iterable[PlanRule], config: Config) -> None:
    for rule in rules:
        entry = config[rule.name]
        if entry["enforcementLevel"] == "disabled":
            continue
        level = "mandatory" if entry["enforcementLevel"] == "remediate" else entry["enforcementLevel"]
        for urn, message in rule.check(plan.states, entry["properties"]):
            report.findings.append(
                Finding(report.plan, rule.name, level, urn, message, rule.description, rule.severity, False)
            )


def _call(report: PlanReport, call: Callable[[], Any], urn: str) -> None:
    """Run one analyzer call; a rule that raises becomes a mandatory finding, never a traceback.

    Under the CLI the same exception fails the preview; here it is reported against the resource so the
    rest of the plan is still checked.
    """
    try:
        response = call()
    except Exception as error:  # a rule bug or a property of a type the AWS provider would refuse
        report.findings.append(
            Finding(
                plan=report.plan,
                policy="(pack error)",
                level="mandatory",
                urn=urn,
                message=f"a rule failed on this resource ({type(error).__name__}: {str(error)[:200]}); fix: give "
                "its properties the types the AWS provider expects, or report the rule's failure",
                description="A policy raised instead of returning a result.",
                severity="high",
                unknown_at_preview=False,
            )
        )
        return
    # The engine reports resource diagnostics against the analyzed resource, whatever URN they carry.
    _collect(report, response, default_urn=urn)


def analyze_plan(servicer: Any, plan: Plan, plan_rules: Iterable[PlanRule], config: Config) -> PlanReport:
    report = PlanReport(plan=plan.name, resources=len(plan.states))
    servicer.ConfigureStack(configure_stack_request(plan), None)
    requests, stack_request = analyze_messages(plan)
    for urn, request in requests:
        _call(report, lambda request=request: servicer.Analyze(request, None), urn)
    _call(report, lambda: servicer.AnalyzeStack(stack_request, None), "")
    _run_plan_rules(report, plan, plan_rules, config)
    return report


@dataclass
class Checker:
    """The pack's servicer, configured: built once per process, then given plan after plan."""

    pack: ModuleType
    servicer: Any
    config: Config  # effective, per rule (pack and plan rules)
    plan_rules: Sequence[PlanRule]

    def check(self, plan: Plan) -> PlanReport:
        return analyze_plan(self.servicer, plan, self.plan_rules, self.config)

    def result(self, reports: list[PlanReport]) -> CheckResult:
        return CheckResult(pack=self.pack.PACK_NAME, version=pack_version(), config=self.config, plans=reports)


def make_checker(
    policy_config: Config | None = None,
    policies: Sequence[Any] | None = None,
    config_source: str = "policy config",
    plan_rules: Sequence[PlanRule] = PLAN_RULES,
) -> Checker:
    """Load the pack, reconcile `policy_config` with its rules (PolicyInputError when it is invalid) and
    configure the servicer."""
    pack = load_pack()
    servicer = make_servicer(pack, policies)
    effective = reconcile_config(servicer, policy_config, plan_rules, config_source)
    configure(servicer, effective, [p.name for p in (policies if policies is not None else pack.ALL_POLICIES)])
    return Checker(pack, servicer, effective, plan_rules)


def check_plans(
    plans: Iterable[tuple[str, Mapping[str, Any]]],
    policy_config: Config | None = None,
    policies: Sequence[Any] | None = None,
    config_source: str = "policy config",
    plan_rules: Sequence[PlanRule] = PLAN_RULES,
) -> CheckResult:
    """Pure core: evaluate the pack (or `policies`) and the plan rules over (name, plan document) pairs.

    `policy_config` is already parsed (see `parse_policy_config`). Raises PolicyInputError on bad input,
    for every plan and the config before any rule runs. (`obsctl.policy.workers.check_plan_files` does the
    same for plan files, on several cores.)
    """
    validated = [validate_plan(document, name) for name, document in plans]
    checker = make_checker(policy_config, policies, config_source, plan_rules)
    return checker.result([checker.check(plan) for plan in validated])
