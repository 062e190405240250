"""CloudWatch Logs specs (pure): metric filters that turn log events into metrics, and saved Logs Insights
queries. Each renders once, to the keyword arguments of its Pulumi resource."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from inventory.base import FrozenModel
from vocabulary import limits

LOG_GROUP_NAME = r"^[A-Za-z0-9_\-/.#]{1,512}$"


class MetricFilterSpec(FrozenModel):
    """Counts matching events of one log group as a metric (1 per event, 0 otherwise)."""

    key: str
    name: str = Field(min_length=1, max_length=512)
    log_group_name: str = Field(pattern=LOG_GROUP_NAME)
    pattern: str = Field(min_length=1, max_length=limits.MAX_FILTER_PATTERN_LENGTH)
    metric_namespace: str
    metric_name: str

    def pulumi_args(self, region: str) -> dict[str, Any]:
        """Keyword arguments for `aws.cloudwatch.LogMetricFilter`."""
        return {
            "name": self.name,
            "log_group_name": self.log_group_name,
            "pattern": self.pattern,
            "metric_transformation": {
                "name": self.metric_name,
                "namespace": self.metric_namespace,
                "value": "1",
                # Zero for non-matching events keeps the graph continuous between incidents.
                "default_value": "0",
                "unit": "Count",
            },
            "region": region,
        }


class SavedQuerySpec(FrozenModel):
    """A saved Logs Insights query; `slug` names its Pulumi resource, `name` is what the console lists
    ("/" makes folders)."""

    slug: str
    name: str = Field(min_length=1, max_length=255)
    log_group_names: tuple[str, ...] = Field(min_length=1)
    query: str = Field(min_length=1)

    def pulumi_args(self, region: str) -> dict[str, Any]:
        """Keyword arguments for `aws.cloudwatch.QueryDefinition`."""
        return {
            "name": self.name,
            "log_group_names": list(self.log_group_names),
            "query_string": self.query,
            "region": region,
        }
