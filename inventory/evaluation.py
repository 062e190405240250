"""How long a condition must hold before an alarm fires, and the alarm tiers: shared by every alarm setting
(workload thresholds, quota headroom, OTPS, security signals, org alarms)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from inventory.base import StrictModel

# Bedrock publishes runtime metrics at one-minute resolution, so alarm periods are whole minutes.
MIN_PERIOD_SECONDS = 60
# CloudWatch quota "Alarm evaluation period": period x evaluation periods may not exceed one day.
MAX_ALARM_EVALUATION_SECONDS = 86_400
MAX_EVALUATION_PERIODS = MAX_ALARM_EVALUATION_SECONDS // MIN_PERIOD_SECONDS

TreatMissingData = Literal["missing", "ignore", "breaching", "notBreaching"]
Tier = Literal["warning", "critical"]


class Evaluation(StrictModel):
    """How long a condition must hold before an alarm fires: `datapoints_to_alarm` of the last
    `evaluation_periods` periods of `period_seconds` each (an "M out of N" alarm)."""

    period_seconds: int = Field(default=300, ge=MIN_PERIOD_SECONDS, le=MAX_ALARM_EVALUATION_SECONDS)
    evaluation_periods: int = Field(default=3, ge=1, le=MAX_EVALUATION_PERIODS)
    datapoints_to_alarm: int = Field(default=3, ge=1, le=MAX_EVALUATION_PERIODS)

    @field_validator("period_seconds")
    @classmethod
    def _whole_minutes(cls, value: int) -> int:
        if value % 60:
            raise ValueError(
                f"period_seconds={value} is not a whole number of minutes; Bedrock metrics have one-minute "
                "resolution, use 60, 120, 300, ..."
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Evaluation:
        if self.datapoints_to_alarm > self.evaluation_periods:
            raise ValueError(
                f"datapoints_to_alarm={self.datapoints_to_alarm} exceeds evaluation_periods="
                f"{self.evaluation_periods}; set datapoints_to_alarm <= evaluation_periods"
            )
        if self.period_seconds * self.evaluation_periods > MAX_ALARM_EVALUATION_SECONDS:
            raise ValueError(
                f"period_seconds x evaluation_periods = {self.period_seconds * self.evaluation_periods}s exceeds "
                f"CloudWatch's one-day limit ({MAX_ALARM_EVALUATION_SECONDS}s); shorten the period or the window"
            )
        return self

    @property
    def seconds_to_fire(self) -> int:
        """Minimum time from fault start to ALARM: the alarm needs `datapoints_to_alarm` breaching periods."""
        return self.period_seconds * self.datapoints_to_alarm
