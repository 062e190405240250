"""The offline CrossGuard check behind `obsctl policy-check`, one module per job:

* files.py - bounded, strictly decoded and parsed input files (PolicyInputError: one line, exit 2);
* plan.py - the plan document validated against the preview's shape, reduced to resource states;
* config.py - the policy config parsed, reconciled and validated like the engine (stricter);
* translate.py - states -> the analyzer protocol's messages;
* engine.py - the pack's analyzer servicer driven over the plans, plus the plan-only rules (plan_rules.py);
* report.py - findings as data and as the console report; run.py - the CLI body.

Names are imported on first use, so the CLI can read a constant from files.py without loading pulumi.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "PACK_DIR": "obsctl.policy.engine",
    "check_plans": "obsctl.policy.engine",
    "load_pack": "obsctl.policy.engine",
    "PolicyInputError": "obsctl.policy.files",
    "UNKNOWN": "obsctl.policy.plan",
    "parse_policy_config": "obsctl.policy.config",
    "run_policy_check": "obsctl.policy.run",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'obsctl.policy' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
