"""What a load run sends: the profiles, the request schedule, and what it may cost (pure, no AWS).

Profiles follow the runbooks users come from: *gentle* populates graphs (about 20 calls, a second apart,
one at a time); *burst* provokes throttling to prove the throttle alarms fire (about 40 calls from three
concurrent workers, no pause). Both are bounded in count (`MAX_REQUESTS`) and time (`max_seconds`), with
tiny prompts and a low `maxTokens`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from inventory.models import WorkloadAccount
from inventory.signals import generates_text
from obsctl.costs import estimated_cost

ProfileName = Literal["gentle", "burst"]

# Hard ceilings whatever the options say: a load generator must never become a cost incident.
MAX_REQUESTS = 200
MAX_CONCURRENCY = 10


@dataclass(frozen=True)
class Profile:
    requests: int
    concurrency: int
    # Pause between two calls of one worker, from the start of one to the start of the next.
    interval_seconds: float
    max_tokens: int
    prompt: str
    # No new call starts after this; calls in flight end within the client's read timeout.
    max_seconds: float


PROFILES: dict[str, Profile] = {
    "gentle": Profile(
        requests=20,
        concurrency=1,
        interval_seconds=1.0,
        max_tokens=64,
        prompt="In one short sentence, say hello from the Bedrock observability load test.",
        max_seconds=120,
    ),
    "burst": Profile(
        requests=40,
        concurrency=3,
        interval_seconds=0.0,
        max_tokens=16,
        prompt="Reply with the single word OK.",
        max_seconds=120,
    ),
}


def input_tokens_upper_bound(prompt: str) -> int:
    """A ceiling on a request's input tokens: tokenizers produce well under one token per two characters of
    English, plus a fixed allowance for the message framing."""
    return math.ceil(len(prompt) / 2) + 20


@dataclass(frozen=True)
class LoadPlan:
    account: WorkloadAccount
    region: str
    profile: ProfileName
    models: tuple[str, ...]
    load: Profile  # the profile with the --requests / --concurrency overrides
    stream: bool

    def schedule(self) -> list[str]:
        """The model of each request, round-robin so every model gets its share."""
        return [self.models[index % len(self.models)] for index in range(self.load.requests)]

    def requests_per_model(self) -> dict[str, int]:
        counts = dict.fromkeys(self.models, 0)
        for model in self.schedule():
            counts[model] += 1
        return counts

    def estimate(self) -> tuple[Decimal, list[str]]:
        """(upper bound of the estimated cost in USD of the priced models, the unpriced models)."""
        pricing = self.account.settings.monitoring.pricing
        tokens = {"input": input_tokens_upper_bound(self.load.prompt), "output": self.load.max_tokens}
        total, unpriced = Decimal(0), []
        for model, count in self.requests_per_model().items():
            cost = estimated_cost(pricing.price_for(model), tokens)
            if cost is None:
                unpriced.append(model)
            else:
                total += cost * count
        return total, unpriced


class PlanError(ValueError):
    """A bad option value; the message names the option, the value and the fix."""


def _choose_models(account: WorkloadAccount, region: str, requested: list[str] | None) -> tuple[str, ...]:
    available = account.models_in(region)
    if requested is None:
        models = [m for m in available if generates_text(m)]
        if not models:
            raise PlanError(
                f"--models: account {account.name} has no model in {region} that Converse serves "
                f"(configured: {', '.join(available) or 'none'}); fix: add a text model to the inventory"
            )
        return tuple(models)
    if not requested:
        raise PlanError(
            "--models names no model; fix: list model ids separated by commas, e.g. "
            f"--models {next((m for m in available if generates_text(m)), '<model id>')}, or omit --models "
            "for the region's text models"
        )
    for model in requested:
        if model not in available:
            elsewhere = " (an inference profile of another geography)" if model in account.models else ""
            raise PlanError(
                f"--models {model!r} is not a configured model of account {account.name} in {region}{elsewhere}; "
                f"fix: use some of {', '.join(m for m in available if generates_text(m)) or 'none configured'}"
            )
        if not generates_text(model):
            raise PlanError(
                f"--models {model!r} is not served by the Converse API (embedding or image model); fix: use a "
                f"text model, e.g. {', '.join(m for m in available if generates_text(m)) or 'none configured'}"
            )
    if len(set(requested)) != len(requested):
        raise PlanError(f"--models lists a model twice ({','.join(requested)}); fix: name each model once")
    return tuple(requested)


def _bounded(option: str, value: int, ceiling: int) -> int:
    if not 1 <= value <= ceiling:
        raise PlanError(f"{option} {value} is out of range; fix: use 1 to {ceiling}")
    return value


def build_plan(
    account: WorkloadAccount,
    region: str,
    profile: ProfileName,
    models: list[str] | None = None,
    requests: int | None = None,
    concurrency: int | None = None,
    stream: bool = False,
) -> LoadPlan:
    """Validate the options against the inventory (before any AWS call) and fix what will be sent."""
    if region not in account.regions:
        raise PlanError(
            f"--region {region!r} is not a region of account {account.name}; fix: use one of "
            f"{', '.join(account.regions)}"
        )
    base = PROFILES[profile]
    load = replace(
        base,
        requests=_bounded("--requests", base.requests if requests is None else requests, MAX_REQUESTS),
        concurrency=_bounded(
            "--concurrency", base.concurrency if concurrency is None else concurrency, MAX_CONCURRENCY
        ),
    )
    return LoadPlan(account, region, profile, _choose_models(account, region, models), load, stream)
