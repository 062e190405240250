"""`obsctl policy-check`'s body: read, check, report. Exit 0 clean, 1 mandatory violation, 2 bad input."""

from __future__ import annotations

import json
import pathlib

from rich.console import Console
from rich.markup import escape

from obsctl.policy.config import load_policy_config
from obsctl.policy.files import DEFAULT_MAX_FILE_MB, MIB, PolicyInputError
from obsctl.policy.report import print_report
from obsctl.policy.workers import check_plan_files


def one_line(message: str) -> str:
    """Control characters (a newline in a file name or key) escaped, so an error stays on one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)


def run_policy_check(
    plan_paths: list[pathlib.Path],
    json_out: pathlib.Path | None,
    config_path: pathlib.Path | None,
    console: Console,
    errors: Console | None = None,
    max_file_mb: int = DEFAULT_MAX_FILE_MB,
    workers: int | None = None,
) -> int:
    """CLI body: 0 when no mandatory rule is violated, 1 when one is, 2 on bad input (one line on `errors`).
    `workers`: processes checking the plans (default: one per core; see obsctl.policy.workers)."""
    try:
        if not plan_paths:
            raise PolicyInputError("no plan given; fix: pass plan files, e.g. build/plans/*.json")
        user_config = load_policy_config(config_path) if config_path else None
        result = check_plan_files(
            plan_paths, user_config, str(config_path or "policy config"), max_file_mb * MIB, workers
        )
        if json_out is not None:
            try:
                json_out.parent.mkdir(parents=True, exist_ok=True)
                json_out.write_text(json.dumps(result.to_json(), indent=2) + "\n")
            except OSError as error:
                raise PolicyInputError(
                    f"{json_out}: cannot write the JSON report ({error.strerror}); fix: choose a writable --json path"
                ) from None
    except PolicyInputError as error:
        (errors or console).print(f"[bold red]error:[/] {escape(one_line(str(error)))}", soft_wrap=True)
        return 2
    print_report(result, console)
    return result.exit_code
