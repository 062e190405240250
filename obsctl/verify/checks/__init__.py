"""Every verify check, one table: logging, storage, trail, monitoring, routing (README "What verify checks")."""

from __future__ import annotations

from typing import Any

from obsctl.verify.checks import logging, monitoring, routing, storage, trail
from obsctl.verify.checks.base import Check

ALL_CHECKS: tuple[Check[Any], ...] = (
    *logging.CHECKS,
    *storage.CHECKS,
    *trail.CHECKS,
    *monitoring.CHECKS,
    *routing.CHECKS,
)
