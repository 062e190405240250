"""The offline CrossGuard check behind `obsctl policy-check`, one module per job:

* files.py - bounded, strictly decoded and parsed input files (PolicyInputError: one line, exit 2);
* plan.py - the plan document validated against the preview's shape, reduced to resource states;
* config.py - the policy config parsed, reconciled and validated like the engine (stricter);
* translate.py - states -> the analyzer protocol's messages;
* engine.py - the pack's analyzer servicer driven over the plans, plus the plan-only rules (plan_rules.py);
* report.py - findings as data and as the console report; run.py - the CLI body.
"""

from obsctl.policy.config import parse_policy_config
from obsctl.policy.engine import PACK_DIR, check_plans, load_pack
from obsctl.policy.files import PolicyInputError
from obsctl.policy.plan import UNKNOWN
from obsctl.policy.run import run_policy_check

__all__ = [
    "PACK_DIR",
    "UNKNOWN",
    "PolicyInputError",
    "check_plans",
    "load_pack",
    "parse_policy_config",
    "run_policy_check",
]
