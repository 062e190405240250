"""What a check found, as data (for `--json`) and as the console report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


@dataclass(frozen=True)
class Finding:
    plan: str
    policy: str
    level: str  # "mandatory" or "advisory" (remediate is reported as mandatory, as the engine does)
    urn: str  # "" for a stack-wide finding
    message: str  # the policy's own message, without the description the SDK prefixes
    description: str
    severity: str
    unknown_at_preview: bool  # True for the SDK's advisory "can't run policy ... during preview"


@dataclass(frozen=True)
class NotApplicable:
    plan: str
    policy: str
    urn: str
    reason: str


@dataclass
class PlanReport:
    plan: str
    resources: int
    findings: list[Finding] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)


@dataclass
class CheckResult:
    pack: str
    version: str
    config: dict[str, dict[str, Any]]
    plans: list[PlanReport]

    @property
    def findings(self) -> list[Finding]:
        return [f for plan in self.plans for f in plan.findings]

    @property
    def mandatory(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "mandatory"]

    @property
    def exit_code(self) -> int:
        return 1 if self.mandatory else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "pack": self.pack,
            "version": self.version,
            "config": self.config,
            "summary": {
                "plans": len(self.plans),
                "mandatory": len(self.mandatory),
                "advisory": len(self.findings) - len(self.mandatory),
            },
            "plans": [
                {
                    "plan": p.plan,
                    "resources": p.resources,
                    "findings": [asdict(f) for f in p.findings],
                    "notApplicable": [asdict(n) for n in p.not_applicable],
                }
                for p in self.plans
            ],
        }


def print_report(result: CheckResult, console: Console) -> None:
    enabled = sum(1 for c in result.config.values() if c.get("enforcementLevel") != "disabled")
    for plan in result.plans:
        if not plan.findings:
            console.print(
                f"[green]PASS[/] {escape(plan.plan)}: {plan.resources} resources, "
                f"{enabled} of {len(result.config)} rules enabled, no violations"
            )
            continue
        table = Table(title=f"{plan.plan}: {len(plan.findings)} finding(s)", show_lines=True, expand=True)
        table.add_column("Level", no_wrap=True)
        table.add_column("Rule", no_wrap=True)
        table.add_column("Resource URN", overflow="fold")
        table.add_column("Message", overflow="fold")
        for finding in sorted(plan.findings, key=lambda f: (f.level != "mandatory", f.policy, f.urn)):
            style = "bold red" if finding.level == "mandatory" else "yellow"
            table.add_row(
                f"[{style}]{finding.level}[/]",
                finding.policy,
                escape(finding.urn or "(stack)"),
                escape(finding.message),
            )
        console.print(table)
    advisory = len(result.findings) - len(result.mandatory)
    verdict = "[bold red]FAIL[/]" if result.mandatory else "[green]OK[/]"
    console.print(
        f"{verdict} {result.pack}@{result.version}: {len(result.plans)} plan(s), "
        f"{len(result.mandatory)} mandatory and {advisory} advisory finding(s)"
    )
