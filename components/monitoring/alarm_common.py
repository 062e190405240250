"""What every per-model alarm of a workload region shares: its metric stats, its fields, the wording of its
description (pure)."""

from __future__ import annotations

from typing import Any

from components.cloudwatch.alarms import MetricStat
from components.monitoring import queries
from components.monitoring.context import RegionContext
from inventory.evaluation import Evaluation, Tier
from vocabulary import bedrock, names


def dims(model_id: str) -> tuple[tuple[str, str], ...]:
    return ((bedrock.MODEL_DIMENSION, model_id),)


def stat(metric: str, model_id: str, statistic: str, period: int) -> MetricStat:
    return MetricStat(
        namespace=bedrock.NAMESPACE, metric_name=metric, dimensions=dims(model_id), stat=statistic, period=period
    )


def window(evaluation: Evaluation) -> str:
    minutes = evaluation.period_seconds // 60
    return (
        f"{evaluation.datapoints_to_alarm} of {evaluation.evaluation_periods} {minutes}-minute periods "
        f"(fires >= {evaluation.seconds_to_fire // 60} min after onset)"
    )


def header(tier: str, what: str, where: str) -> str:
    return f"[{tier.upper()}] {what} ({where})."


def top_identities(ctx: RegionContext) -> str:
    return ctx.saved_query(queries.TOP_IDENTITIES_TITLE, ctx.region)


def model_alarm_fields(ctx: RegionContext, model: str, tier: Tier, evaluation: Evaluation, kind: str) -> dict[str, Any]:
    """Fields every per-model threshold alarm shares (kind in `names.MODEL_THRESHOLD_ALARMS` or
    `names.MODEL_OPTIONAL_THRESHOLD_ALARMS`)."""
    return {
        "key": f"{names.model_slug(model)}-{kind}-{tier}",
        "name": names.model_alarm_name(ctx.account_name, ctx.region, model, kind, tier),
        "tier": tier,
        "notify_ok": ctx.notify_ok(tier),
        "evaluation_periods": evaluation.evaluation_periods,
        "datapoints_to_alarm": evaluation.datapoints_to_alarm,
        "treat_missing_data": ctx.settings.alarms.treat_missing_data,
        "model_id": model,
    }
