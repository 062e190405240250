"""The monitoring account: cross-account aggregation of every workload account and region."""

from __future__ import annotations

import pulumi

from inventory.load import StackTarget
from inventory.models import MonitoringAccount
from program.provider import account_provider


def build_monitoring(target: StackTarget) -> None:
    account = target.account
    assert isinstance(account, MonitoringAccount)
    account_provider(account, account.home_region, environment="monitoring")
    pulumi.export("accountId", account.account_id)
    pulumi.export("regions", target.org.workload_regions)
