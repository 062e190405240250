"""The organisation inventory (stacks/org.yaml): one source of truth for every stack.

Every model forbids unknown keys, so a typo fails loudly instead of silently falling back to a default.
Per-account `settings` are deep-merged over the org-wide `defaults` before validation, so an account
overrides only what it names and every merged value is validated the same way.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, ValidationError, field_validator, model_validator

from inventory import derived_names, signal_problems
from inventory.aws_facts import (
    INFERENCE_PROFILE_REGION_PREFIXES,
    bedrock_regions,
)
from inventory.base import StrictModel, deep_merge
from inventory.identifiers import check_account_id, check_account_name, check_stack_name, is_model_id
from inventory.org_monitoring import OrgMonitoringSettings
from inventory.pricing import MAX_PRICED_MODELS
from inventory.settings import Settings, unique
from vocabulary import arns
from vocabulary.limits import MAX_ROLE_NAME

# Matched with fullmatch over ASCII classes: `$` would accept a trailing newline, `\d` and `\w` non-ASCII.
# IAM role names (botocore iam roleNameType `[\w+=,.@-]+`, at most 64), after an optional path.
# The partition is vocabulary's (`arns.role_arn` builds the same shape).
_ROLE_ARN = re.compile(
    rf"arn:{re.escape(arns.PARTITION)}:iam::([0-9]{{12}}):role/"
    rf"(?:[A-Za-z0-9_+=,.@/-]*/)?[A-Za-z0-9_+=,.@-]{{1,{MAX_ROLE_NAME}}}"
)


# Model ids such as anthropic.claude-3-5-sonnet-20240620-v1:0, optionally with a cross-region inference
# profile prefix (us., eu., apac., ...). ARNs are refused: AWS/Bedrock metrics use the id, and dashboards
# built on ARNs stay blank.
def model_callable_in(model_id: str, region: str) -> bool:
    """False for an inference profile of another geography (its alarms would sit in missing data forever).

    Profiles are called from, and publish metrics in, the source regions of their geography only.
    """
    prefix, _, rest = model_id.partition(".")
    if prefix not in INFERENCE_PROFILE_REGION_PREFIXES or "." not in rest:
        return True  # a plain model id (provider.model), callable wherever the model is offered
    return region.startswith(INFERENCE_PROFILE_REGION_PREFIXES[prefix])


def _region(value: str) -> str:
    if value not in bedrock_regions():
        raise ValueError(
            "is not an AWS region where Amazon Bedrock is available; "
            f"fix: use one of {', '.join(sorted(bedrock_regions()))}"
        )
    return value


def _model_id(value: str) -> str:
    if value.startswith("arn:"):
        raise ValueError(
            "is an ARN; fix: use the model id (e.g. anthropic.claude-3-5-sonnet-20240620-v1:0), which is what "
            "the AWS/Bedrock ModelId metric dimension carries"
        )
    if not is_model_id(value):
        raise ValueError(
            "is not a Bedrock model id (provider.model[:version], lowercase letters, digits and '-'); "
            "fix: use an id like anthropic.claude-3-5-sonnet-20240620-v1:0"
        )
    return value


AccountId = Annotated[str, BeforeValidator(check_account_id)]
Slug = Annotated[str, AfterValidator(check_account_name)]
StackName = Annotated[str, AfterValidator(check_stack_name)]
Region = Annotated[str, AfterValidator(_region)]
ModelId = Annotated[str, AfterValidator(_model_id)]


class WorkloadAccount(StrictModel):
    name: Slug
    account_id: AccountId
    deploy_role_arn: str
    environment: Slug
    regions: list[Region] = Field(min_length=1)
    models: list[ModelId] = Field(min_length=1)
    settings: Settings = Settings()

    @field_validator("regions")
    @classmethod
    def _unique_regions(cls, values: list[str]) -> list[str]:
        return unique(values, "region")

    @field_validator("models")
    @classmethod
    def _unique_models(cls, values: list[str]) -> list[str]:
        return unique(values, "model")

    @model_validator(mode="after")
    def _role_in_account(self) -> WorkloadAccount:
        _check_role_arn(self.deploy_role_arn, self.account_id)
        return self

    @model_validator(mode="after")
    def _profiles_match_a_region(self) -> WorkloadAccount:
        for index, model in enumerate(self.models):
            if not any(model_callable_in(model, region) for region in self.regions):
                raise ValueError(
                    f"models[{index}] = {model!r} is a cross-region inference profile for another geography "
                    f"than the account's regions ({', '.join(self.regions)}); fix: use the profile of the "
                    "account's geography (e.g. us./eu./apac.) or the plain model id"
                )
        return self

    @model_validator(mode="after")
    def _priced_when_required(self) -> WorkloadAccount:
        # The account's cost dashboards price its models with its merged settings.monitoring.pricing.
        pricing = self.settings.monitoring.pricing
        missing = pricing.unpriced(self.models) if pricing.missing_price == "error" else []
        if missing:
            raise ValueError(
                f"settings.monitoring.pricing has missing_price: 'error' and no price for "
                f"{', '.join(map(repr, missing))} (listed in models); fix: add "
                "'<model id>: {input_per_1k_tokens_usd: ..., output_per_1k_tokens_usd: ...}' under "
                "settings.monitoring.pricing.models (or defaults.monitoring.pricing.models), or set "
                "settings.monitoring.pricing.missing_price: show_unknown"
            )
        return self

    def models_in(self, region: str) -> list[str]:
        """The models worth watching in `region`: plain ids everywhere, profiles in their geography only."""
        return [model for model in self.models if model_callable_in(model, region)]

    @property
    def home_region(self) -> str:
        """The first listed region: home of the account's CloudTrail and budget alert routing."""
        return self.regions[0]


class MonitoringAccount(StrictModel):
    name: Slug
    account_id: AccountId
    deploy_role_arn: str
    home_region: Region
    # The Pulumi stack deploying this account; workload stacks read its OAM sink ARNs by StackReference.
    stack: StackName = "monitoring"
    settings: OrgMonitoringSettings = OrgMonitoringSettings()

    @model_validator(mode="after")
    def _role_in_account(self) -> MonitoringAccount:
        _check_role_arn(self.deploy_role_arn, self.account_id)
        return self


def _check_role_arn(arn: str, account_id: str) -> None:
    match = _ROLE_ARN.fullmatch(arn)
    if not match:
        raise ValueError(
            f"deploy_role_arn {arn!r} is not an IAM role ARN; fix: use {arns.role_arn('<account id>', '<name>')}"
        )
    if match.group(1) != account_id:
        raise ValueError(
            f"deploy_role_arn {arn!r} is in account {match.group(1)!r}, not in account_id {account_id!r}; "
            "fix: point it at the deploy role inside this account (or correct account_id)"
        )


def _valid_settings(data: Any) -> bool:
    try:
        Settings.model_validate(data)
    except ValidationError:
        return False
    return True


def _with_defaults(account: Any, defaults: dict[str, Any], validated: dict[str, Settings]) -> Any:
    """The account with its settings merged over the defaults. `settings:` left empty (null) means no
    overrides; any other non-mapping is left for validation to refuse ("write a mapping").

    Most accounts of an org override little or nothing, so many merge to the same settings: each distinct
    result is validated once (`validated`, by content) and the frozen `Settings` shared. Settings that do not
    validate stay a mapping, for the account's own validation to report where they are wrong."""
    if not isinstance(account, dict):
        return account
    settings = account.get("settings")
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        return account
    merged = deep_merge(defaults, settings)
    key = json.dumps(merged, sort_keys=True, default=repr)
    if key not in validated:
        try:
            validated[key] = Settings.model_validate(merged)
        except ValidationError:
            return {**account, "settings": merged}
    return {**account, "settings": validated[key]}


class Organisation(StrictModel):
    monitoring_account: MonitoringAccount
    defaults: Settings = Settings()
    workload_accounts: list[WorkloadAccount] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _apply_defaults(cls, data: Any) -> Any:
        # Merge the raw dicts so an account's partial override keeps every default it does not name.
        if not isinstance(data, dict):
            return data
        defaults = data.get("defaults", {})
        accounts = data.get("workload_accounts")
        if not isinstance(defaults, dict) or not _valid_settings(defaults):
            # Report a broken default once, under `defaults`, not again under every account.
            return data
        if isinstance(accounts, list):
            data = dict(data)
            validated: dict[str, Settings] = {}
            data["workload_accounts"] = [_with_defaults(account, defaults, validated) for account in accounts]
        return data

    @model_validator(mode="after")
    def _unique_accounts(self) -> Organisation:
        names: dict[str, str] = {self.monitoring_account.name: "monitoring_account"}
        ids: dict[str, str] = {self.monitoring_account.account_id: "monitoring_account"}
        for index, account in enumerate(self.workload_accounts):
            where = f"workload_accounts[{index}]"
            if account.name in names:
                raise ValueError(
                    f"{where}.name = {account.name!r} is already used by {names[account.name]}; "
                    "fix: give every account a unique name"
                )
            if account.account_id in ids:
                raise ValueError(
                    f"{where}.account_id = {account.account_id!r} is already used by {ids[account.account_id]}; "
                    "fix: list each AWS account once (add regions to the existing entry instead)"
                )
            names[account.name] = where
            ids[account.account_id] = where
        return self

    @model_validator(mode="after")
    def _org_price_table(self) -> Organisation:
        # The org dashboards of the monitoring stack price with the org-wide table, defaults.monitoring.pricing.
        pricing = self.defaults.monitoring.pricing
        if len(pricing.models) > MAX_PRICED_MODELS:
            raise ValueError(
                f"defaults.monitoring.pricing.models has {len(pricing.models)} models "
                f"({', '.join(sorted(pricing.models))}); the org dashboards price at most {MAX_PRICED_MODELS} "
                "(CloudWatch widget and expression limits); fix: keep the "
                f"{MAX_PRICED_MODELS} models that matter most for cost in the org-wide table and price the others "
                "in the accounts' own workload_accounts[i].settings.monitoring.pricing.models"
            )
        if pricing.missing_price == "error":
            users: dict[str, list[str]] = {}
            for index, account in enumerate(self.workload_accounts):
                for model in pricing.unpriced(account.models):
                    users.setdefault(model, []).append(f"workload_accounts[{index}] ({account.name})")
            if users:
                listed = "; ".join(f"{model!r} (used by {', '.join(where)})" for model, where in users.items())
                raise ValueError(
                    f"defaults.monitoring.pricing has missing_price: 'error' and no price for {listed}; the org "
                    "dashboards price with this org-wide table; fix: add '<model id>: {input_per_1k_tokens_usd: "
                    "..., output_per_1k_tokens_usd: ...}' under defaults.monitoring.pricing.models, or set "
                    "defaults.monitoring.pricing.missing_price: show_unknown"
                )
        return self

    @model_validator(mode="after")
    def _derived_names_fit(self) -> Organisation:
        # Signal settings naming models or regions nobody uses, then names too long or colliding.
        found = signal_problems.problems(self) + derived_names.problems(self)
        if found:
            # One ValueError carries every problem; ConfigError shows each on its own "  - " line.
            raise ValueError("\n  - ".join(found))
        return self

    def workload(self, name: str) -> WorkloadAccount | None:
        return next((account for account in self.workload_accounts if account.name == name), None)

    @property
    def workload_regions(self) -> list[str]:
        """Every region any workload account uses, in first-seen order."""
        return list(dict.fromkeys(region for account in self.workload_accounts for region in account.regions))
