"""Base model shared by every inventory model: unknown keys are errors (typos never pass silently)."""

from pydantic import BaseModel, ConfigDict


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
