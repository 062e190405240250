"""`obsctl policy-check`: run the CrossGuard pack offline against plan documents.

No cloud and no Pulumi CLI: the plan documents (`obsctl plan`, or `pulumi preview --json`) are turned into
the analyzer protocol's own messages (AnalyzeRequest / AnalyzeStackRequest) and handed to pulumi-policy's
analyzer servicer, the object `PolicyPack` serves over gRPC under the CLI. Enforcement levels, per-policy
config, not-applicable results and "unknown during preview" handling are therefore pulumi-policy's own code;
this module only re-does what the CLI does around it:

* config reconciliation (schema defaults, then pack initial config, then the user's file, with the
  `all` key, then JSON-schema validation) - pulumi `pkg/resource/analyzer/config.go`;
* Analyze per resource with the resource's *inputs*, AnalyzeStack once with every resource's outputs
  (over its inputs: a preview's outputs of a new resource are its inputs plus unknowns);
* resource diagnostics are attributed to the analyzed resource's URN, as the engine's step generator does;
* a mandatory (or remediate) violation fails the run, advisory ones are reported only.

The servicer is private API, reached through `obsctl.pulumi_internals` (pinned versions, checked there).
"""

from __future__ import annotations

import json
import pathlib
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from types import ModuleType
from typing import Any

import jsonschema
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from rich.console import Console
from rich.markup import escape
from rich.table import Table

REPO_ROOT = pathlib.Path(__file__).resolve().parent.parent
PACK_DIR = REPO_ROOT / "policies"

# The engine's marker for values unknown at preview (pulumi sdk `plugin.UnknownStringValue`); plans from
# `pulumi preview --json` carry it for every unknown, whatever its type.
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_SIG_KEY = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"

LEVELS = ("advisory", "mandatory", "remediate", "disabled")
PLAN_FIX = "fix: regenerate it with `python -m obsctl plan --all --out-dir build/plans`"


class PolicyInputError(Exception):
    """Bad input (plan or config file): the message is one line naming the file and the fix."""


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
    warnings: list[str] = field(default_factory=list)

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
            "warnings": self.warnings,
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


# ---------------------------------------------------------------------------------------------------------
# The pack


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


# ---------------------------------------------------------------------------------------------------------
# Config: parse like `--policy-config`, reconcile like the engine, validate against the schemas


def parse_policy_config(document: Any, source: str) -> dict[str, dict[str, Any]]:
    """`{"policy": "advisory"}` or `{"policy": {"enforcementLevel": ..., "param": ...}}` ->
    `{"policy": {"enforcementLevel": str | None, "properties": {...}}}` (pulumi parsePolicyPackConfig)."""
    if not isinstance(document, Mapping):
        raise PolicyInputError(
            f"{source}: policy config must be a JSON object keyed by policy name; "
            "fix: see policies/policy-config.example.json"
        )
    result: dict[str, dict[str, Any]] = {}
    for name, value in document.items():
        if isinstance(value, str):
            level, properties = value, {}
        elif isinstance(value, Mapping):
            properties = dict(value)
            level = properties.pop("enforcementLevel", None)
        else:
            raise PolicyInputError(
                f"{source}: {name!r} must be an enforcement level or an object; "
                "fix: see policies/policy-config.example.json"
            )
        if level is not None and level not in LEVELS:
            raise PolicyInputError(
                f"{source}: {name!r} has enforcement level {level!r}; fix: use one of {', '.join(LEVELS)}"
            )
        if level is None and not properties:
            continue  # the CLI drops empty entries too
        result[name] = {"enforcementLevel": level, "properties": properties}
    return result


def load_policy_config(path: pathlib.Path) -> dict[str, dict[str, Any]]:
    try:
        text = path.read_text()
    except OSError as error:
        raise PolicyInputError(
            f"{path}: cannot read the policy config ({error.strerror}); fix: pass an existing JSON file to --config"
        ) from None
    if not text.strip():
        return {}
    try:
        document = json.loads(text)
    except ValueError as error:
        raise PolicyInputError(
            f"{path}: not valid JSON ({error}); fix: see policies/policy-config.example.json"
        ) from None
    return parse_policy_config(document, str(path))


def _level_name(value: int) -> str:
    from pulumi.runtime.proto import analyzer_pb2

    return analyzer_pb2.EnforcementLevel.Name(value).lower()


def _apply(result: dict[str, dict[str, Any]], given: Mapping[str, Mapping[str, Any]]) -> None:
    all_level = (given.get("all") or {}).get("enforcementLevel")
    if all_level:
        for entry in result.values():
            entry["enforcementLevel"] = all_level
    for name, value in given.items():
        if name == "all":
            continue  # only its enforcement level means anything, applied above
        entry = result.setdefault(name, {"enforcementLevel": None, "properties": {}})
        if value.get("enforcementLevel"):
            entry["enforcementLevel"] = value["enforcementLevel"]
        entry["properties"].update(value.get("properties") or {})


def _schema_errors(schema: dict[str, Any], properties: Mapping[str, Any]) -> list[str]:
    # The CLI validates policy config against each rule's JSON schema (draft 7) before Configure.
    validator = jsonschema.Draft7Validator(schema)
    return [
        (f"{'.'.join(map(str, e.absolute_path))}: " if e.absolute_path else "") + e.message
        for e in sorted(validator.iter_errors(dict(properties)), key=str)
    ]


def reconcile_config(
    servicer: Any, user: Mapping[str, Mapping[str, Any]] | None, source: str = "policy config"
) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Effective per-policy config, as the engine computes it before calling Configure.

    Returns the config and warnings (policy names the pack does not have: the CLI ignores them silently,
    which hides typos). Raises PolicyInputError when a value breaks a policy's config schema.
    """
    info = servicer.GetAnalyzerInfo(empty_pb2.Empty(), None)
    result: dict[str, dict[str, Any]] = {}
    schemas: dict[str, dict[str, Any]] = {}
    for policy in info.policies:
        properties = json_format.MessageToDict(policy.configSchema.properties)
        result[policy.name] = {
            "enforcementLevel": _level_name(policy.enforcementLevel),
            "properties": {k: v["default"] for k, v in properties.items() if "default" in v},
        }
        schemas[policy.name] = {"type": "object", "properties": properties}
        if policy.configSchema.required:
            schemas[policy.name]["required"] = list(policy.configSchema.required)
    # The engine applies the pack's initial_config here; this pack sets none (make_servicer passes None).
    assert not info.initialConfig, "initial_config is not supported by the offline check"
    unknown = [name for name in (user or {}) if name != "all" and name not in schemas]
    warnings = [
        f"{source}: {name!r} is not a policy of this pack (ignored); fix: use one of {', '.join(sorted(schemas))}"
        for name in unknown
    ]
    if ((user or {}).get("all") or {}).get("properties"):
        warnings.append(
            f"{source}: settings under 'all' are ignored (only its enforcement level applies, as "
            "under the CLI); fix: put them under the rule they configure"
        )
    if user:
        _apply(result, user)
    errors = [
        f"{name}: {error}"
        for name, schema in schemas.items()
        for error in _schema_errors(schema, result[name]["properties"])
    ]
    if errors:
        raise PolicyInputError(
            f"{source}: invalid policy config ({'; '.join(errors)}); "
            "fix: correct the values (see the README's policy pack rules for each key)"
        )
    return result, warnings


def configure(servicer: Any, effective: Mapping[str, Mapping[str, Any]]) -> None:
    from pulumi.runtime.proto import analyzer_pb2

    request = analyzer_pb2.ConfigureAnalyzerRequest()
    for name, entry in effective.items():
        level = (entry["enforcementLevel"] or "advisory").upper()
        config = analyzer_pb2.PolicyConfig(enforcementLevel=analyzer_pb2.EnforcementLevel.Value(level))
        config.properties.update(entry["properties"])
        request.policyConfig[name].CopyFrom(config)
    servicer.Configure(request, None)


# ---------------------------------------------------------------------------------------------------------
# Plans -> analyzer requests


def load_plan(path: pathlib.Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text())
    except OSError as error:
        raise PolicyInputError(f"{path}: cannot read the plan ({error.strerror}); {PLAN_FIX}") from None
    except ValueError as error:
        raise PolicyInputError(f"{path}: not valid JSON ({error}); {PLAN_FIX}") from None
    return document  # validated by check_plans, which every caller goes through


def validate_plan(document: Any, source: str) -> None:
    if not isinstance(document, Mapping) or not isinstance(document.get("steps"), list):
        raise PolicyInputError(f"{source}: not a plan document (no 'steps' list); {PLAN_FIX}")
    for index, step in enumerate(document["steps"]):
        state = step.get("newState") if isinstance(step, Mapping) else None
        if state is None and isinstance(step, Mapping):
            continue  # deletes have no new state, and are not analyzed
        if not isinstance(state, Mapping) or not isinstance(state.get("urn"), str) or not state.get("type"):
            raise PolicyInputError(f"{source}: steps[{index}].newState needs 'urn' and 'type'; {PLAN_FIX}")
        # urn:pulumi:<stack>::<project>::<qualified type>::<name>
        if not state["urn"].startswith("urn:pulumi:") or len(state["urn"].split("::")) < 4:
            raise PolicyInputError(
                f"{source}: steps[{index}].newState.urn {state['urn']!r} is not a Pulumi URN; {PLAN_FIX}"
            )
        for key in ("inputs", "outputs"):
            if state.get(key) is not None and not isinstance(state[key], Mapping):
                raise PolicyInputError(f"{source}: steps[{index}].newState.{key} must be an object; {PLAN_FIX}")


def _engine_value(value: Any) -> Any:
    """Plan JSON -> the property value the engine would send over gRPC."""
    if isinstance(value, Mapping):
        if value.get(_SIG_KEY) == _SECRET_SIG:
            # State-style secrets: plaintext is JSON, ciphertext cannot be read offline (unknown, as in a
            # preview that cannot decrypt).
            if "value" in value:
                return {_SIG_KEY: _SECRET_SIG, "value": _engine_value(value["value"])}
            if "plaintext" in value:
                return {_SIG_KEY: _SECRET_SIG, "value": _engine_value(json.loads(value["plaintext"]))}
            return UNKNOWN
        return {str(k): _engine_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_engine_value(v) for v in value]
    return value


def _struct(props: Mapping[str, Any] | None) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(_engine_value(dict(props or {})))
    return message


def _urn_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _provider_ref(ref: str | None) -> str | None:
    """`<provider urn>::<id>` -> the provider URN."""
    if not ref:
        return None
    return ref.rsplit("::", 1)[0]


def _options(state: Mapping[str, Any]) -> Any:
    from pulumi.runtime.proto import analyzer_pb2

    return analyzer_pb2.AnalyzerResourceOptions(
        protect=bool(state.get("protect")),
        ignoreChanges=list(state.get("ignoreChanges") or []),
        additionalSecretOutputs=list(state.get("additionalSecretOutputs") or []),
        aliases=[a for a in state.get("aliases") or [] if isinstance(a, str)],
        parent=state.get("parent") or "",
    )


def _provider(state: Mapping[str, Any], providers: Mapping[str, Mapping[str, Any]]) -> Any:
    from pulumi.runtime.proto import analyzer_pb2

    urn = _provider_ref(state.get("provider"))
    provider = providers.get(urn or "")
    if provider is None:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider["type"], properties=_struct(provider.get("inputs")), urn=urn, name=_urn_name(urn)
    )


def _states(plan: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [s["newState"] for s in plan["steps"] if isinstance(s, Mapping) and s.get("newState")]


def analyze_plan(servicer: Any, plan: Mapping[str, Any], plan_name: str) -> PlanReport:
    from pulumi.runtime.proto import analyzer_pb2

    states = _states(plan)
    providers = {s["urn"]: s for s in states if str(s["type"]).startswith("pulumi:providers:")}
    report = PlanReport(plan=plan_name, resources=len(states))
    stack = next((s for s in states if s["type"] == "pulumi:pulumi:Stack"), None)
    # urn:pulumi:<stack>::<project>::pulumi:pulumi:Stack::<name>
    parts = stack["urn"].removeprefix("urn:pulumi:").split("::") if stack else ["", ""]
    servicer.ConfigureStack(
        analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=parts[0],
            project=parts[1],
            dry_run=True,
            tags={str(k): str(v) for k, v in (plan.get("stackTags") or {}).items()},
        ),
        None,
    )

    for state in states:
        request = analyzer_pb2.AnalyzeRequest(
            type=state["type"],
            properties=_struct(state.get("inputs")),
            urn=state["urn"],
            name=_urn_name(state["urn"]),
            options=_options(state),
        )
        provider = _provider(state, providers)
        if provider is not None:
            request.provider.CopyFrom(provider)
        # The engine reports resource diagnostics against the analyzed resource, whatever URN they carry.
        _collect(report, servicer.Analyze(request, None), default_urn=state["urn"])

    stack_request = analyzer_pb2.AnalyzeStackRequest()
    for state in states:
        resource = analyzer_pb2.AnalyzerResource(
            # Outputs, as the engine sends; a preview's outputs of a new resource are its inputs plus
            # unknowns, so inputs fill whatever a (mock-produced) plan left out of the outputs.
            type=state["type"],
            properties=_struct({**(state.get("inputs") or {}), **(state.get("outputs") or {})}),
            urn=state["urn"],
            name=_urn_name(state["urn"]),
            options=_options(state),
            parent=state.get("parent") or "",
            dependencies=list(state.get("dependencies") or []),
        )
        for prop, urns in (state.get("propertyDependencies") or {}).items():
            resource.propertyDependencies[prop].urns.extend(urns or [])
        provider = _provider(state, providers)
        if provider is not None:
            resource.provider.CopyFrom(provider)
        stack_request.resources.append(resource)
    _collect(report, servicer.AnalyzeStack(stack_request, None), default_urn="")
    return report


def _collect(report: PlanReport, response: Any, default_urn: str) -> None:
    from pulumi.runtime.proto import analyzer_pb2

    for diagnostic in response.diagnostics:
        message = diagnostic.message
        prefix = diagnostic.description + "\n"
        if message.startswith(prefix):
            message = message[len(prefix) :]
        level = _level_name(diagnostic.enforcementLevel)
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


# ---------------------------------------------------------------------------------------------------------
# Entry points


def check_plans(
    plans: Iterable[tuple[str, Mapping[str, Any]]],
    policy_config: Mapping[str, Mapping[str, Any]] | None = None,
    policies: Sequence[Any] | None = None,
    config_source: str = "policy config",
) -> CheckResult:
    """Pure core: evaluate the pack (or `policies`) over (name, plan document) pairs.

    `policy_config` is already parsed (see `parse_policy_config`). Raises PolicyInputError on bad input.
    """
    plans = list(plans)
    for name, plan in plans:
        validate_plan(plan, name)  # all input problems first, before any rule runs
    pack = load_pack()
    servicer = make_servicer(pack, policies)
    effective, warnings = reconcile_config(servicer, policy_config, config_source)
    configure(servicer, effective)
    reports = [analyze_plan(servicer, plan, name) for name, plan in plans]
    return CheckResult(pack=pack.PACK_NAME, version=pack_version(), config=effective, plans=reports, warnings=warnings)


def print_report(result: CheckResult, console: Console) -> None:
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/] {escape(warning)}")
    for plan in result.plans:
        if not plan.findings:
            enabled = sum(1 for c in result.config.values() if c.get("enforcementLevel") != "disabled")
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


def run_policy_check(
    plan_paths: list[pathlib.Path],
    json_out: pathlib.Path | None,
    config_path: pathlib.Path | None,
    console: Console,
) -> int:
    """CLI body: 0 when no mandatory rule is violated, 1 when one is, 2 on bad input."""
    try:
        if not plan_paths:
            raise PolicyInputError("no plan given; fix: pass plan files, e.g. build/plans/*.json")
        user_config = load_policy_config(config_path) if config_path else None
        plans = [(str(path), load_plan(path)) for path in plan_paths]
        result = check_plans(plans, user_config, config_source=str(config_path or "policy config"))
        if json_out is not None:
            try:
                json_out.parent.mkdir(parents=True, exist_ok=True)
                json_out.write_text(json.dumps(result.to_json(), indent=2) + "\n")
            except OSError as error:
                raise PolicyInputError(
                    f"{json_out}: cannot write the JSON report ({error.strerror}); fix: choose a writable --json path"
                ) from None
    except PolicyInputError as error:
        console.print(f"[bold red]error:[/] {escape(str(error))}")
        return 2
    print_report(result, console)
    return result.exit_code
