"""`obsctl report` against the moto server: metrics seeded with PutMetricData for two accounts, two regions
per account and priced and unpriced models; the numbers, the cost arithmetic and the trend are asserted
exactly. The monitoring-account (OAM) path, which moto does not emulate, is proven on the request shape
with botocore's Stubber: every query names its AccountId, 500 queries per call, NextToken pages merged."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from inventory.load import STACKS_DIR
from inventory.models import Organisation
from obsctl.aws.session import Sessions
from obsctl.cli import app
from obsctl.report.collect import Collector
from obsctl.report.document import to_json
from obsctl.report.model import Report, change_pct, top_models
from obsctl.report.render import DASH, MARK, html, markdown
from obsctl.report.window import METRIC_RETENTION_DAYS, Window, window
from tests.obsctl.moto_server import OPERATOR_ENV, MotoServer
from vocabulary import names

PAYMENTS, RESEARCH = "111111111111", "222222222222"
SONNET = "anthropic.claude-3-5-sonnet-20240620-v1:0"  # 0.003 / 0.015 USD per 1K input / output tokens
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"  # 0.00025 / 0.00125
MISTRAL = "mistral.mistral-large-2402-v1:0"  # no price in the table
# Priced as anthropic.claude-3-7-sonnet: 0.003 / 0.015 input / output, 0.0003 / 0.00375 cache read / write.
CACHED = "us.anthropic.claude-3-7-sonnet-20250219-v1:0"
END = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)
WINDOW = Window(END, 7)
ALARM = names.model_alarm_name("payments-prod", "us-east-1", SONNET, "throttles", "critical")


def org_with_unpriced_model() -> Organisation:
    data = yaml.safe_load((STACKS_DIR / "org.yaml").read_text())
    data["workload_accounts"][1]["models"].append(MISTRAL)
    return Organisation.model_validate(data)


class Seeder:
    def __init__(self, moto: MotoServer) -> None:
        self.moto = moto
        self.clients: dict[tuple[str, str, str], Any] = {}

    def client(self, service: str, account: str, region: str) -> Any:
        key = (service, account, region)
        if key not in self.clients:
            self.clients[key] = self.moto.client(service, region, account_id=account)
        return self.clients[key]

    def bedrock(self, account: str, region: str, model: str, hours_before_end: float, **values: float) -> None:
        when = END - timedelta(hours=hours_before_end)
        self.client("cloudwatch", account, region).put_metric_data(
            Namespace="AWS/Bedrock",
            MetricData=[
                {
                    "MetricName": metric,
                    "Dimensions": [{"Name": "ModelId", "Value": model}],
                    "Timestamp": when,
                    "Value": v,
                }
                for metric, v in values.items()
            ],
        )

    def security(self, account: str, region: str, metric: str, hours_before_end: float, value: float) -> None:
        self.client("cloudwatch", account, region).put_metric_data(
            Namespace="BedrockObservability/Security",
            MetricData=[{"MetricName": metric, "Timestamp": END - timedelta(hours=hours_before_end), "Value": value}],
        )


def seed(moto: MotoServer) -> None:
    s = Seeder(moto)
    tokens = {"InputTokenCount", "OutputTokenCount"}
    assert tokens  # the metric names below are the documented AWS/Bedrock ones
    # payments-prod, us-east-1: 100 invocations this period (60 + 33 + 7, the 7 exactly at its first second),
    # 60,000 input / 15,000 output tokens; 50 invocations and 30,000 / 6,000 tokens the period before.
    s.bedrock(PAYMENTS, "us-east-1", SONNET, 1, Invocations=60, InputTokenCount=40_000, OutputTokenCount=10_000,
              InvocationClientErrors=2, InvocationServerErrors=1, InvocationThrottles=5)  # fmt: skip
    s.bedrock(PAYMENTS, "us-east-1", SONNET, 50, Invocations=33, InputTokenCount=20_000, OutputTokenCount=5_000,
              InvocationClientErrors=1, InvocationThrottles=3)  # fmt: skip
    s.bedrock(PAYMENTS, "us-east-1", SONNET, 7 * 24, Invocations=7)
    s.bedrock(PAYMENTS, "us-east-1", SONNET, 8 * 24, Invocations=50, InputTokenCount=30_000, OutputTokenCount=6_000)
    s.bedrock(PAYMENTS, "us-east-1", SONNET, 15 * 24, Invocations=999, InputTokenCount=999_999)  # before both
    # A prompt-caching model: 1,000 input, 2,000 output, 10,000 cache read and 4,000 cache write tokens. Reads
    # under the AWS page's name, writes under the other spelling: the report reads and adds up both.
    s.bedrock(PAYMENTS, "us-east-1", CACHED, 6, Invocations=10, InputTokenCount=1_000, OutputTokenCount=2_000,
              CacheReadInputTokens=6_000, CacheWriteInputTokenCount=4_000)  # fmt: skip
    s.bedrock(PAYMENTS, "us-east-1", CACHED, 7, CacheReadInputTokenCount=4_000)
    # payments-prod, eu-west-1 (second region): cache tokens of a model whose price has no cache price, left out
    # of its cost and disclosed: 1,200,000 cache reads this period, 3,000 cache writes the period before.
    s.bedrock(PAYMENTS, "eu-west-1", SONNET, 3, Invocations=10, InputTokenCount=1_000, OutputTokenCount=500,
              CacheReadInputTokens=1_200_000)  # fmt: skip
    s.bedrock(PAYMENTS, "eu-west-1", SONNET, 9 * 24, CacheWriteInputTokenCount=3_000)
    # research-dev, us-west-2: half the usage of the period before; eu-central-1: a model without a price.
    s.bedrock(RESEARCH, "us-west-2", HAIKU, 2, Invocations=200, InputTokenCount=400_000, OutputTokenCount=100_000)
    s.bedrock(RESEARCH, "us-west-2", HAIKU, 10 * 24, Invocations=400, InputTokenCount=800_000, OutputTokenCount=200_000)
    s.bedrock(RESEARCH, "eu-central-1", MISTRAL, 5, Invocations=30, InputTokenCount=3_000, OutputTokenCount=1_000)
    # Security signals (CloudTrail metric filters, trail home region) and the budget of payments-prod.
    s.security(PAYMENTS, "us-east-1", "BedrockAccessDenied", 4, 3)
    s.security(PAYMENTS, "us-east-1", "BedrockAccessDenied", 30, 1)
    s.security(PAYMENTS, "us-east-1", "BedrockAccessDenied", 9 * 24, 1)
    s.security(PAYMENTS, "us-east-1", "BedrockInvocationLoggingChanges", 2, 1)
    s.client("budgets", PAYMENTS, "us-east-1").create_budget(
        AccountId=PAYMENTS,
        Budget={
            "BudgetName": names.budget_name("payments-prod"),
            "BudgetLimit": {"Amount": "25000", "Unit": "USD"},
            "TimeUnit": "MONTHLY",
            "BudgetType": "COST",
            "CalculatedSpend": {
                "ActualSpend": {"Amount": "1234.5", "Unit": "USD"},
                "ForecastedSpend": {"Amount": "20000", "Unit": "USD"},
            },
        },
    )
    # One alarm firing, one not.
    cloudwatch = s.client("cloudwatch", PAYMENTS, "us-east-1")
    for name in (ALARM, ALARM.replace("throttles", "tokens")):
        cloudwatch.put_metric_alarm(
            AlarmName=name, Namespace="AWS/Bedrock", MetricName="InvocationThrottles", Statistic="Sum", Period=60,
            EvaluationPeriods=1, Threshold=10, ComparisonOperator="GreaterThanThreshold",
        )  # fmt: skip
    cloudwatch.set_alarm_state(AlarmName=ALARM, StateValue="ALARM", StateReason="Threshold Crossed: 14 throttles")


@pytest.fixture(scope="module")
def report(_moto_process: MotoServer) -> Iterator[Report]:
    """Seeded and read once for the tests that only read the report (each asserts one aspect of it)."""
    _moto_process.reset()
    with pytest.MonkeyPatch.context() as patch:
        for key in [k for k in os.environ if k.startswith("AWS_")]:
            patch.delenv(key)
        for key, value in OPERATOR_ENV.items():
            patch.setenv(key, value)
        seed(_moto_process)
        org = org_with_unpriced_model()
        sessions = Sessions(endpoint_url=_moto_process.endpoint)
        yield Collector(org, list(org.workload_accounts), WINDOW, "accounts", sessions).collect("org", concurrency=4)


def row(report: Report, account: str, region: str, model: str) -> Any:
    return next(r for r in report.rows if (r.account, r.region, r.model) == (account, region, model))


def test_numbers_cost_and_trend_per_model(report: Report) -> None:
    sonnet = row(report, "payments-prod", "us-east-1", SONNET)
    current, previous = sonnet.current, sonnet.previous
    assert current.invocations == 100  # includes the datapoint at the period's first second
    assert current.tokens == {"input": 60_000, "output": 15_000, "cache_read": 0, "cache_write": 0}
    assert (current.client_errors, current.server_errors, current.throttles) == (3, 1, 8)
    assert current.error_rate_pct == 4.0
    assert current.cost_usd == Decimal("0.405")  # 60 x 0.003 + 15 x 0.015
    assert previous.invocations == 50  # the datapoint 15 days back is in neither period
    assert previous.cost_usd == Decimal("0.18")  # 30 x 0.003 + 6 x 0.015
    assert change_pct(current.invocations, previous.invocations) == 100.0
    assert change_pct(current.cost_usd, previous.cost_usd) == 125.0
    assert row(report, "payments-prod", "eu-west-1", SONNET).current.cost_usd == Decimal("0.0105")

    cached = row(report, "payments-prod", "us-east-1", CACHED).current
    assert cached.tokens == {"input": 1_000, "output": 2_000, "cache_read": 10_000, "cache_write": 4_000}
    assert cached.cost_usd == Decimal("0.051")  # 1 x 0.003 + 2 x 0.015 + 10 x 0.0003 + 4 x 0.00375

    haiku = row(report, "research-dev", "us-west-2", HAIKU)
    assert haiku.current.cost_usd == Decimal("0.225")  # 400 x 0.00025 + 100 x 0.00125
    assert change_pct(haiku.current.cost_usd, haiku.previous.cost_usd) == -50.0

    mistral = row(report, "research-dev", "eu-central-1", MISTRAL)
    assert mistral.price is None and mistral.current.invocations == 30
    assert mistral.current.cost_usd is None and mistral.previous.cost_usd is None
    # Percentiles come from statistics moto does not compute; none were seeded.
    assert sonnet.current.latency_p95_ms is None


def test_totals_per_account_and_org_and_top_models(report: Report) -> None:
    payments, research = report.accounts
    current, previous = payments.totals
    assert (current.invocations, current.cost_usd, current.unpriced) == (120, Decimal("0.4665"), ())
    assert (previous.invocations, previous.cost_usd) == (50, Decimal("0.18"))
    current, _ = research.totals
    assert (current.invocations, current.cost_usd, current.unpriced) == (230, Decimal("0.225"), (MISTRAL,))
    org, _ = report.totals
    assert (org.invocations, org.cost_usd, org.unpriced) == (350, Decimal("0.6915"), (MISTRAL,))
    assert org.latency_p95_ms is None  # percentiles are never summed
    ranked = [(m.model, m.cost_usd) for m in top_models(report.rows)]
    assert ranked == [
        (SONNET, Decimal("0.4155")),
        (HAIKU, Decimal("0.225")),
        (CACHED, Decimal("0.051")),
        (MISTRAL, None),
    ]


def test_budget_security_signals_and_firing_alarms(report: Report) -> None:
    payments, research = report.accounts
    budget = payments.budget
    assert budget is not None
    assert (budget.limit_usd, budget.actual_usd, budget.forecast_usd) == (
        Decimal(25000),
        Decimal("1234.5"),
        Decimal(20000),
    )
    signals = {s.key: (s.current, s.previous) for s in payments.security or []}
    assert signals == {"logging-changes": (1, 0), "access-denied": (4, 1), "guardrail-or-access-changes": (0, 0)}
    assert [(a.name, a.region, a.reason) for a in payments.alarms] == [
        (ALARM, "us-east-1", "Threshold Crossed: 14 throttles")
    ]
    assert research.alarms == [] and research.budget is None
    # research-dev has no budget in moto: one clear line, the rest of its report is intact.
    (problem,) = research.problems
    assert "budgets:DescribeBudget bedrock-research-dev-monthly failed" in problem and "fix: create it" in problem
    assert payments.problems == [] and report.problems == []


def test_json_markdown_and_html(report: Report) -> None:
    document = to_json(report)
    assert document["totals"]["current"]["estimated_cost_usd"] == 0.6915
    assert document["totals"]["current"]["cost_unknown_for"] == [MISTRAL]
    assert document["period"] == {"start": WINDOW.start.isoformat(), "end": END.isoformat(), "days": 7}
    payments = document["accounts"][0]
    us_east = next(m for m in payments["models"] if (m["region"], m["model"]) == ("us-east-1", SONNET))
    assert us_east["trend_pct"]["estimated_cost_usd"] == 125.0 and us_east["current"]["error_rate_pct"] == 4.0
    research = document["accounts"][1]
    unpriced = next(m for m in research["models"] if m["model"] == MISTRAL)
    assert unpriced["current"]["estimated_cost_usd"] is None and unpriced["price_per_1k_tokens_usd"] is None

    text = markdown(report)
    assert f"| eu-central-1 | {MISTRAL} | 30 |" in text
    mistral_line = next(line for line in text.splitlines() if f"| eu-central-1 | {MISTRAL} |" in line)
    assert "unknown" in mistral_line
    # The previous period had no unpriced usage: its cost is complete.
    assert f"| Estimated cost | $0.6915 + unknown {MARK} | $0.6300 {MARK} | +9.8 % |" in text  # {MARK}: cache tokens
    assert ALARM in text

    page = html(report)
    assert page.count("<svg") == 4
    charts = dict(re.findall(r'<figure id="(chart-[a-z]+)"[^>]*>(.*?)</figure>', page, flags=re.S))
    assert set(charts) == {"chart-tokens", "chart-cost", "chart-latency", "chart-errors"}
    assert SONNET in charts["chart-tokens"] and MISTRAL in charts["chart-tokens"]
    assert (
        SONNET in charts["chart-cost"] and f"No price in the price table (not drawn): {MISTRAL}" in charts["chart-cost"]
    )
    assert "no data in the period" in charts["chart-latency"]  # moto computes no percentiles
    assert "throttles" in charts["chart-errors"] and "client errors" in charts["chart-errors"]
    # Self-contained: nothing is fetched when the file is opened offline.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)|@import|<link|<script|url\((?!#)""", page)


def test_cli_writes_every_format(moto: MotoServer, tmp_path: Path) -> None:
    seed(moto)
    end = END.strftime("%Y-%m-%dT%H:%M")
    args = ["report", "--stack", "payments-prod", "--via", "accounts", "--end", end, "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--endpoint-url", moto.endpoint])
    assert result.exit_code == 0, result.stderr
    stem = f"bedrock-report-payments-prod-7d-{END:%Y-%m-%dT%H}Z"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{stem}.html", f"{stem}.json", f"{stem}.md"]
    document = json.loads((tmp_path / f"{stem}.json").read_text())
    assert [a["name"] for a in document["accounts"]] == ["payments-prod"]
    assert document["totals"]["current"]["estimated_cost_usd"] == 0.4665 and document["problems"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all", "--days", "0"], "--days 0 is out of range; fix: use 1 to 90"),
        (["--all", "--days", "91"], "--days 91 is out of range"),
        (["--all", "--format", "md,pdf"], "unknown format pdf; fix: use some of md,json,html"),
        (["--all", "--end", "last week"], "--end 'last week' is not a date or date-time"),
        (["--all", "--end", "2999-01-01"], "is in the future"),
        (["--all", "--end", "2001-01-01"], "more than 455 days ago, where CloudWatch keeps no metrics"),
        (["--stack", "monitoring"], "deploys the monitoring account"),
        (["--stack", "payments-prod", "--all"], "exactly one of --stack NAME or --all"),
        (["--all", "--concurrency", "0"], "--concurrency 0 is out of range"),
        (["--all", "--aws-profile", "no-such-profile"], "--aws-profile 'no-such-profile' is not a profile"),
    ],
)
def test_bad_input_is_refused_before_any_aws_call(args: list[str], message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", *args, "--out", str(tmp_path), "--endpoint-url", "http://127.0.0.1:9"])
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line, however long
    assert list(tmp_path.iterdir()) == []


def test_the_period_before_must_start_within_cloudwatchs_metric_retention() -> None:
    now = datetime(2026, 12, 3, 10, 41, tzinfo=UTC)
    # --days 7: the period before starts 14 days before --end, at most 455 days before now.
    latest_refused, earliest_kept = "2025-09-18T10:00", "2025-09-18T11:00"
    assert window(7, earliest_kept, now).previous_start == datetime(2025, 9, 4, 11, tzinfo=UTC)
    with pytest.raises(ValueError) as refused:
        window(7, latest_refused, now)
    assert str(refused.value) == (
        "--end '2025-09-18T10:00': the period before it would start 2025-09-04 10:00 UTC, more than 455 days ago, "
        "where CloudWatch keeps no metrics (the report would show zeros); fix: use --end 2025-09-18T11:00 or later "
        "with --days 7"
    )
    assert now - timedelta(days=METRIC_RETENTION_DAYS) == datetime(2025, 9, 4, 10, 41, tzinfo=UTC)
    with pytest.raises(ValueError, match="is in the future"):
        window(7, "2026-12-03T11:00", now)
    # The longest default window reaches back 180 days: always kept.
    assert window(90, None, now).previous_start == datetime(2026, 6, 6, 10, tzinfo=UTC)


@pytest.mark.parametrize("days", range(1, 91))
def test_every_period_asked_of_cloudwatch_is_whole_hours(days: int) -> None:
    # Data older than 63 days is kept at one-hour resolution only: every Period and StartTime is whole hours.
    now = datetime(2026, 12, 3, 10, 41, 7, tzinfo=UTC)
    span = window(days, "2026-06-01T05:37", now)
    assert now - span.previous_start > timedelta(days=63)
    assert span.bucket_seconds % 3_600 == 0 and span.period_seconds % 3_600 == 0
    assert all(t.minute == t.second == t.microsecond == 0 for t in (span.previous_start, span.start, span.end))


def test_cache_tokens_without_a_cache_price_are_left_out_of_the_estimate_as_on_the_dashboards() -> None:
    from inventory.pricing import ModelPrice
    from obsctl.costs import estimated_cost, unpriced_kinds

    tokens = {"input": 1_000, "output": 2_000, "cache_read": 10_000, "cache_write": 4_000}
    plain = ModelPrice(input_per_1k_tokens_usd=0.003, output_per_1k_tokens_usd=0.015)
    assert estimated_cost(plain, tokens) == Decimal("0.033")  # 1 x 0.003 + 2 x 0.015, cache tokens left out
    assert unpriced_kinds(plain, tokens) == ("cache_read", "cache_write")
    assert unpriced_kinds(plain, {**tokens, "cache_read": 0, "cache_write": 0}) == ()
    assert estimated_cost(None, tokens) is None and unpriced_kinds(None, tokens) == ()


def test_cache_tokens_left_out_of_a_cost_are_disclosed_in_every_format(report: Report) -> None:
    # eu-west-1 Sonnet's price has no cache prices: its cache tokens are counted but not in its cost.
    eu = row(report, "payments-prod", "eu-west-1", SONNET)
    assert eu.current.tokens == {"input": 1_000, "output": 500, "cache_read": 1_200_000, "cache_write": 0}
    assert (eu.current.cost_usd, eu.current.unpriced_tokens) == (Decimal("0.0105"), {"cache_read": 1_200_000})
    assert (eu.previous.cost_usd, eu.previous.unpriced_tokens) == (Decimal(0), {"cache_write": 3_000})
    # Priced cache tokens (CACHED), no cache tokens, or no price at all (cost unknown): nothing left out.
    for account, region, model in [
        ("payments-prod", "us-east-1", CACHED),
        ("payments-prod", "us-east-1", SONNET),
        ("research-dev", "us-west-2", HAIKU),
        ("research-dev", "eu-central-1", MISTRAL),
    ]:
        other = row(report, account, region, model)
        assert other.current.unpriced_tokens == other.previous.unpriced_tokens == {}, model
    payments, research = report.accounts
    for current, previous in (payments.totals, report.totals):
        assert (current.unpriced_tokens, current.unpriced_tokens_of) == ({"cache_read": 1_200_000}, (SONNET,))
        assert (previous.unpriced_tokens, previous.unpriced_tokens_of) == ({"cache_write": 3_000}, (SONNET,))
    assert research.totals[0].unpriced_tokens == {} and research.totals[0].unpriced_tokens_of == ()
    ranked = {m.model: m.unpriced_tokens for m in top_models(report.rows)}
    assert ranked == {SONNET: {"cache_read": 1_200_000}, HAIKU: {}, CACHED: {}, MISTRAL: {}}

    document = to_json(report)
    assert document["schema"] == "obsctl-report/1"
    models = {(m["region"], m["model"]): m for m in document["accounts"][0]["models"]}
    eu_json = models["eu-west-1", SONNET]
    assert eu_json["current"]["unpriced_tokens"] == {"cache_read": 1_200_000.0}
    assert eu_json["previous"]["unpriced_tokens"] == {"cache_write": 3_000.0}
    assert eu_json["current"]["estimated_cost_usd"] == 0.0105
    assert models["us-east-1", CACHED]["current"]["unpriced_tokens"] == {}
    assert models["us-east-1", CACHED]["current"]["estimated_cost_usd"] == 0.051
    totals = document["totals"]
    assert totals["current"]["unpriced_tokens"] == {"cache_read": 1_200_000.0}
    assert totals["current"]["unpriced_tokens_of"] == [SONNET] and totals["current"]["cost_unknown_for"] == [MISTRAL]
    assert totals["previous"]["unpriced_tokens"] == {"cache_write": 3_000.0}
    assert document["accounts"][1]["current"]["unpriced_tokens"] == {}
    top = {m["model"]: m["unpriced_tokens"] for m in document["top_models_by_cost"]}
    assert top == {SONNET: {"cache_read": 1_200_000.0}, HAIKU: {}, CACHED: {}, MISTRAL: {}}

    row_note = "excludes 1,200,000 cache-read tokens: no cache price"
    totals_note = (
        f"{MARK} Estimated cost excludes 1,200,000 cache-read tokens this period and 3,000 cache-write tokens in the "
        f"previous period: the price table has no cache price for {SONNET} (as on the dashboards; add its cache "
        "prices to count them)."
    )
    lines = markdown(report).splitlines()
    assert totals_note in lines

    def md_line(start: str) -> str:
        (line,) = [line for line in lines if line.startswith(start)]
        return line

    assert md_line(f"| eu-west-1 | {SONNET} |").endswith(f"| $0.0105 ({row_note}) | {DASH} |")
    assert md_line(f"| {SONNET} |").endswith(f"| $0.4155 ({row_note}) | +130.8 % |")  # top models
    assert f"| $0.4665 {MARK} |" in md_line("| payments-prod (")
    assert f"| **$0.6915** + unknown {MARK} |" in md_line("| **total** |")
    for line in (md_line(f"| us-east-1 | {CACHED} |"), md_line(f"| {CACHED} |"), md_line("| research-dev (")):
        assert "excludes" not in line and MARK not in line, line

    page = html(report)
    assert f'<p class="note">{totals_note}</p>' in page
    assert page.count(f'<br><span class="note">{row_note}</span>') == 2  # the eu-west-1 row and top models
    cached_rows = [r for r in page.split("<tr>") if f"<code>{CACHED}</code>" in r]  # its detail row, top models
    assert len(cached_rows) == 2 and not any("excludes" in r for r in cached_rows)
    cost_chart = re.search(r'<figure id="chart-cost".*?</figure>', page, flags=re.S)
    assert cost_chart and f"Cache tokens without a cache price are not in the cost: {SONNET}." in cost_chart.group()
