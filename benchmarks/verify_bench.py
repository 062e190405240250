"""`obsctl verify` against a moto server process: API calls per account-region and wall time for a realistic
org (accounts x 4 regions x 3 models), deployed with boto3 from the plan's names first (not timed as verify).

    .venv/bin/python -m benchmarks.verify_bench [ACCOUNTS]     # also part of benchmarks.run (20 accounts)

moto answers from one Python process, so its per-call latency (a few ms) and its CPU are the bottleneck
here; against AWS the calls run in parallel on AWS's side and the bound is botocore's client-side work and
the API rate limits (adaptive retries absorb throttling).
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from dataclasses import dataclass

from inventory.models import Organisation
from obsctl.aws.session import Sessions
from obsctl.verify.expected import expected_region
from obsctl.verify.run import RegionResult, verify_all
from obsctl.verify.shapes import ExpectedRegion
from tests.obsctl import moto_server
from tests.obsctl.verify.deploy import Seeder, deploy_all

REGIONS_PER_ACCOUNT = 4
MODELS_PER_ACCOUNT = 3
CONCURRENCY = 16


@dataclass(frozen=True)
class VerifyRun:
    accounts: int
    account_regions: int
    seed_seconds: float
    verify_seconds: float
    calls: list[int]
    records: int
    statuses: dict[str, int]

    @property
    def calls_per_region(self) -> float:
        return statistics.mean(self.calls)

    def extrapolated_seconds(self, account_regions: int) -> float:
        """Linear in account-regions at this concurrency (the emulator serialises the calls)."""
        return self.verify_seconds * account_regions / self.account_regions


def _targets(accounts: int) -> list[ExpectedRegion]:
    from benchmarks.orgs import organisation

    org = Organisation.model_validate(organisation(accounts, REGIONS_PER_ACCOUNT, MODELS_PER_ACCOUNT))
    return [
        expected_region(account.name, org, account, region)
        for account in org.workload_accounts
        for region in account.regions
    ]


def measure(accounts: int = 20) -> VerifyRun:
    saved = {key: os.environ.get(key) for key in moto_server.OPERATOR_ENV}
    os.environ.update(moto_server.OPERATOR_ENV)  # test credentials only: never the operator's real ones
    server = moto_server.start()
    try:
        targets = _targets(accounts)
        started = time.perf_counter()
        deploy_all(Seeder(server), targets)
        seeded = time.perf_counter() - started
        started = time.perf_counter()
        results: list[RegionResult] = verify_all(Sessions(endpoint_url=server.endpoint), targets, CONCURRENCY)
        verified = time.perf_counter() - started
    finally:
        moto_server.stop(server)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    statuses: dict[str, int] = {}
    for record in (r for result in results for r in result.records):
        statuses[record.status] = statuses.get(record.status, 0) + 1
    return VerifyRun(
        accounts=accounts,
        account_regions=len(targets),
        seed_seconds=seeded,
        verify_seconds=verified,
        calls=[result.calls for result in results],
        records=sum(len(result.records) for result in results),
        statuses=statuses,
    )


def main() -> int:
    run = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
    print(
        f"{run.accounts} accounts x {REGIONS_PER_ACCOUNT} regions x {MODELS_PER_ACCOUNT} models: "
        f"{run.account_regions} account-regions, {run.records} checks {run.statuses}\n"
        f"API calls per account-region: mean {run.calls_per_region:.1f} (min {min(run.calls)}, max {max(run.calls)})\n"
        f"verify wall time {run.verify_seconds:.1f}s at concurrency {CONCURRENCY} "
        f"({run.verify_seconds / run.account_regions * 1000:.0f} ms per account-region); seeding took "
        f"{run.seed_seconds:.1f}s\n"
        f"200 accounts x 4 regions, extrapolated: {run.extrapolated_seconds(800):.0f}s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
