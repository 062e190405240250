"""Signal settings checked against the accounts that use them: quota, OTPS and guardrail entries must name
models and regions an account watches (a quota for a typo'd model id would otherwise silently watch nothing),
OTPS needs a model with output tokens, and escalation needs someone to escalate to. Run by the organisation
model (`inventory.models`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from inventory.signals import ModelOtps, ModelQuota, generates_text

if TYPE_CHECKING:
    from inventory.models import Organisation, WorkloadAccount


def problems(org: Organisation) -> list[str]:
    """Quota, OTPS and guardrail entries that name a model or region nobody uses or watches, OTPS for a model
    without output tokens, escalation to nobody, or guardrails in the org-wide defaults (a guardrail id belongs
    to one account); empty when all is well."""
    found: list[str] = []
    defaults = org.defaults.monitoring
    if defaults.guardrails:
        found.append(
            "defaults.monitoring.guardrails: a guardrail id belongs to one account and region; fix: list it under "
            "workload_accounts[i].settings.monitoring.guardrails of the account that owns it"
        )
    used_models = {m for a in org.workload_accounts for m in a.models}
    for section in ("quotas", "otps"):
        for model in getattr(defaults, section).models:
            if model not in used_models:
                found.append(
                    f"defaults.monitoring.{section}.models: {model!r} is not in any workload account's models; "
                    "fix: correct the model id or remove the entry"
                )
    found += _org_quota_problems(org)
    found += _otps_problems("defaults.monitoring", defaults.otps.models, {})
    for index, account in enumerate(org.workload_accounts):
        found += _account_problems(f"workload_accounts[{index}].settings.monitoring", account, org)
    return found


def _org_quota_problems(org: Organisation) -> list[str]:
    """Org-wide quotas apply wherever an account watches the model: each (model, region) needs one."""
    found = []
    used_models = {m for a in org.workload_accounts for m in a.models}
    used_regions = {r for a in org.workload_accounts for r in a.regions}
    watched = {(m, r) for a in org.workload_accounts for r in a.regions for m in a.models_in(r)}
    for model, quota in org.defaults.monitoring.quotas.models.items():
        for region in sorted(quota.tokens_per_minute):
            where = f"defaults.monitoring.quotas.models[{model!r}].tokens_per_minute"
            if region not in used_regions:
                found.append(
                    f"{where}: no workload account uses region {region!r}; fix: correct the region or remove it"
                )
            elif model in used_models and (model, region) not in watched:
                found.append(
                    f"{where}[{region!r}]: no workload account watches {model!r} in {region} (an inference profile "
                    "is called from its own geography's regions only); fix: remove the region, or give the quota "
                    f"to the profile or model id the accounts use in {region}"
                )
    return found


def _account_problems(where: str, account: WorkloadAccount, org: Organisation) -> list[str]:
    defaults = org.defaults.monitoring
    settings = account.settings.monitoring
    found = []
    for section in ("quotas", "otps"):
        inherited = getattr(defaults, section).models
        for model in getattr(settings, section).models:
            if model not in account.models and model not in inherited:
                found.append(
                    f"{where}.{section}.models: {model!r} is not one of this account's models "
                    f"({', '.join(account.models)}); fix: correct the model id or add the model to models"
                )
    found += _quota_problems(where, account, defaults.quotas.models)
    found += _otps_problems(where, settings.otps.models, defaults.otps.models)
    found += _escalation_problems(where, account)
    return found + _guardrail_problems(where, account)


def _quota_problems(where: str, account: WorkloadAccount, inherited: dict[str, ModelQuota]) -> list[str]:
    found = []
    for model, quota in account.settings.monitoring.quotas.models.items():
        if quota == inherited.get(model):
            continue  # inherited as a whole: checked once, org-wide
        for region in sorted(quota.tokens_per_minute):
            if region not in account.regions:
                found.append(
                    f"{where}.quotas.models[{model!r}].tokens_per_minute: {region!r} is not one of this account's "
                    f"regions ({', '.join(account.regions)}); fix: correct the region or remove it"
                )
            elif model in account.models and model not in account.models_in(region):
                found.append(
                    f"{where}.quotas.models[{model!r}].tokens_per_minute[{region!r}]: {model!r} is not watched in "
                    f"{region} (an inference profile of another geography; the account's models there: "
                    f"{', '.join(account.models_in(region))}); fix: remove {region} from this quota, or list the "
                    f"quota under the model id the account calls in {region}"
                )
    return found


def _otps_problems(where: str, models: dict[str, ModelOtps], inherited: dict[str, ModelOtps]) -> list[str]:
    return [
        f"{where}.otps.models[{model!r}]: {model!r} is an embedding or image model and produces no output tokens, "
        "so its OTPS alarms would watch nothing; fix: remove the entry (OTPS applies to text generation models)"
        for model, otps in models.items()
        if not generates_text(model) and otps != inherited.get(model)  # an inherited entry: reported once
    ]


def _escalation_problems(where: str, account: WorkloadAccount) -> list[str]:
    settings = account.settings.monitoring
    if not settings.escalation.enabled or settings.notifications.escalation.has_subscribers:
        return []
    return [
        f"{where}.escalation.enabled is true but {where}.notifications.escalation has no subscribers, so "
        "escalations would go to a topic nobody reads; fix: add emails, https_endpoints or sms_numbers under "
        "notifications.escalation, or set escalation.enabled: false"
    ]


def _guardrail_problems(where: str, account: WorkloadAccount) -> list[str]:
    found = []
    seen: set[tuple[str, str, str]] = set()
    for i, guardrail in enumerate(account.settings.monitoring.guardrails):
        if guardrail.region not in account.regions:
            found.append(
                f"{where}.guardrails[{i}].region = {guardrail.region!r} is not one of this account's regions "
                f"({', '.join(account.regions)}); fix: use the region the guardrail was created in"
            )
        key = (guardrail.id, guardrail.version, guardrail.region)
        if key in seen:
            found.append(
                f"{where}.guardrails[{i}]: guardrail {guardrail.id!r} version {guardrail.version} in "
                f"{guardrail.region} is listed twice; fix: remove the duplicate"
            )
        seen.add(key)
    return found
