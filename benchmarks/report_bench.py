"""`obsctl report` against a local moto server: the example org through the real CLI, and a synthetic org
through the same collector and renderers. Measurements for `benchmarks.run`, not tests.

moto answers GetMetricData without percentiles or OAM, so this measures the tool's own work (query
building, batching, threads, parsing, aggregation, charts and templates) plus moto's, not CloudWatch's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from inventory.load import PROJECT_DIR
from inventory.models import Organisation
from vocabulary import bedrock, names

HOURS = 7 * 24


def seed(server: Any, org: Organisation, end: datetime, hours: int = HOURS) -> int:
    """`hours` of hourly AWS/Bedrock sums for every account, region and model, and each account's budget;
    returns the number of datapoints written."""
    written = 0
    metrics = (
        bedrock.INVOCATIONS,
        bedrock.INPUT_TOKENS,
        bedrock.OUTPUT_TOKENS,
        bedrock.CLIENT_ERRORS,
        bedrock.THROTTLES,
    )
    for account in org.workload_accounts:
        for region in account.regions if hours else ():
            client = server.client("cloudwatch", region, account_id=account.account_id)
            data = [
                {
                    "MetricName": metric,
                    "Dimensions": [{"Name": bedrock.MODEL_DIMENSION, "Value": model}],
                    "Timestamp": end - timedelta(hours=hour, minutes=30),
                    "Value": float(1 + (hour * 7 + index) % 50),
                }
                for model in account.models_in(region)
                for hour in range(1, hours + 1)
                for index, metric in enumerate(metrics)
            ]
            for offset in range(0, len(data), 1000):  # PutMetricData takes at most 1,000 datapoints
                client.put_metric_data(Namespace=bedrock.NAMESPACE, MetricData=data[offset : offset + 1000])
            written += len(data)
        server.client("budgets", "us-east-1", account_id=account.account_id).create_budget(
            AccountId=account.account_id,
            Budget={
                "BudgetName": names.budget_name(account.name),
                "BudgetLimit": {"Amount": "1000", "Unit": "USD"},
                "TimeUnit": "MONTHLY",
                "BudgetType": "COST",
            },
        )
    return written


def cli_report_all(server: Any, via: str) -> float:
    """Wall seconds of `python -m obsctl report --all` against the server (exit 0 required)."""
    with tempfile.TemporaryDirectory() as out:
        args = ["-m", "obsctl", "report", "--all", "--via", via, "--endpoint-url", server.endpoint, "--out", out]
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, *args], cwd=PROJECT_DIR, env=server.env(), capture_output=True, text=True
        )
        seconds = time.perf_counter() - started
        if result.returncode != 0 or len(list(Path(out).iterdir())) != 3:
            raise SystemExit(f"report --all --via {via} failed:\n{result.stdout}\n{result.stderr}")
    return seconds


def synthetic_org(example: Organisation, accounts: int, regions: list[str], models: list[str]) -> Organisation:
    data = example.model_dump(mode="json", exclude={"workload_accounts"})
    data["workload_accounts"] = [
        {
            "name": f"bench-{index:03d}",
            "account_id": f"{400000000000 + index:012d}",
            "deploy_role_arn": f"arn:aws:iam::{400000000000 + index:012d}:role/deploy",
            "environment": "prod",
            "regions": regions,
            "models": models,
        }
        for index in range(accounts)
    ]
    return Organisation.model_validate(data)


def collect_and_render(server: Any, org: Organisation, end: datetime, via: str) -> float:
    """Wall seconds to read every account through the collector and render md, json and html."""
    from obsctl.aws.session import Sessions
    from obsctl.report.collect import Collector
    from obsctl.report.render import render
    from obsctl.report.window import Window

    for key, value in server.env().items():
        if key.startswith("AWS_"):
            os.environ[key] = value
    started = time.perf_counter()
    sessions = Sessions(endpoint_url=server.endpoint)
    report = Collector(org, list(org.workload_accounts), Window(end, 7), via, sessions).collect("org")  # type: ignore[arg-type]
    render(report, ("md", "json", "html"))
    seconds = time.perf_counter() - started
    if report.all_problems:
        raise SystemExit("synthetic report had problems:\n" + "\n".join(report.all_problems[:5]))
    return seconds


def end_hour() -> datetime:
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
