"""`policy-check` of many plan files on several cores: worker processes started once, each checking a share
of the plans with a servicer it builds once.

The result is the one a single process gets (`engine.check_plans` over the files in the order given):
* bad input is refused before any rule runs, naming the error a single process names: the first file (in
  the order given) that cannot be read or parsed, else the first plan that is not valid, else the policy
  config. Each worker first reads, parses and validates its plans and reports every problem; the rules
  run only once the parent has heard from every worker and found nothing wrong, config included;
* each plan's report comes back to the parent, which puts them in the order given: the result, the console
  report and `--json` are the same for any number of workers (tests/obsctl/policy/test_workers.py).

Plans are dealt to the workers by file size, largest first to the least loaded worker, so that an org's
large monitoring plan is not checked on top of an equal share of workload plans.
"""

from __future__ import annotations

import gc
import multiprocessing
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from obsctl.plan.batch import default_workers
from obsctl.policy.config import Config
from obsctl.policy.engine import Checker, make_checker
from obsctl.policy.files import DEFAULT_MAX_FILE_MB, MIB, PolicyInputError
from obsctl.policy.plan import Plan, load_plan, validate_plan
from obsctl.policy.report import CheckResult, PlanReport

# What can be wrong with a plan file, in the order a single process finds it: every file is read and
# parsed before any is validated.
READ, INVALID = 0, 1
Problem = tuple[int, int, str]  # (READ or INVALID, index of the file, the one-line message)
Item = tuple[int, Path]  # (index of the file in the order given, its path)


def check_plan_files(
    paths: Sequence[Path],
    policy_config: Config | None = None,
    config_source: str = "policy config",
    max_bytes: int = DEFAULT_MAX_FILE_MB * MIB,
    workers: int | None = None,
) -> CheckResult:
    """The pack and the plan rules over the plan files `paths`, on `workers` processes (default: one per
    core, never more than there are plans; one means this process). Raises PolicyInputError on bad input."""
    items = list(enumerate(paths))
    count = max(1, min(workers or default_workers(), len(items)))
    if count == 1:
        plans, problems = read_and_validate(items, max_bytes)
        _raise_first(problems)
        checker = make_checker(policy_config, config_source=config_source)
        return checker.result(_check(checker, plans))
    return _with_workers(deal(items, count), policy_config, config_source, max_bytes)


def read_and_validate(items: Sequence[Item], max_bytes: int) -> tuple[list[tuple[int, Plan]], list[Problem]]:
    """Every file read and parsed, then every parsed one validated: the valid plans and all the problems."""
    documents: list[tuple[int, Path, Any] | None] = []
    problems: list[Problem] = []
    for index, path in items:
        try:
            documents.append((index, path, load_plan(path, max_bytes)))
        except PolicyInputError as error:
            problems.append((READ, index, str(error)))
    plans = []
    for position, entry in enumerate(documents):
        assert entry is not None
        index, path, document = entry
        documents[position] = None  # the document's memory goes as its validated plan comes
        try:
            plans.append((index, validate_plan(document, str(path))))
        except PolicyInputError as error:
            problems.append((INVALID, index, str(error)))
    return plans, problems


def deal(items: Sequence[Item], count: int) -> list[list[Item]]:
    """`items` in `count` shares of about equal size in bytes (each share in the order given)."""
    shares: list[list[Item]] = [[] for _ in range(count)]
    loads = [0] * count
    sizes = {index: _size(path) for index, path in items}
    for index, path in sorted(items, key=lambda item: (-sizes[item[0]], item[0])):
        lightest = min(range(count), key=lambda share: (loads[share], share))
        shares[lightest].append((index, path))
        loads[lightest] += sizes[index] + 1
    return [sorted(share) for share in shares if share]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0  # reading it fails in its worker, with the message a single process gives


def _raise_first(problems: list[Problem]) -> None:
    if problems:
        raise PolicyInputError(min(problems)[2])


def _check(checker: Checker, plans: list[tuple[int, Plan]]) -> list[PlanReport]:
    with _frozen():
        return [checker.check(plan) for _, plan in plans]


@contextmanager
def _frozen() -> Iterator[None]:
    """What exists before the rules run (modules, the pack, the validated plans) lives until they are done:
    frozen, the cyclic collector does not walk it again at every collection the rules' allocations start."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _with_workers(
    shares: list[list[Item]], policy_config: Config | None, config_source: str, max_bytes: int
) -> CheckResult:
    # spawn, not fork: a worker starts without the parent's threads and state, and imports what it needs.
    context = multiprocessing.get_context("spawn")
    connections: list[Connection] = []
    processes = []
    try:
        for share in shares:
            parent_end, child_end = context.Pipe()
            process = context.Process(
                target=_worker, args=(child_end, share, max_bytes, policy_config, config_source), daemon=True
            )
            process.start()
            child_end.close()
            connections.append(parent_end)
            processes.append(process)
        checker: Checker | None = None
        config_error: PolicyInputError | None = None
        try:  # while the workers read their plans
            checker = make_checker(policy_config, config_source=config_source)
        except PolicyInputError as error:
            config_error = error
        problems = [problem for connection in connections for problem in _receive(connection)]
        go = not problems and checker is not None
        for connection in connections:
            connection.send(go)
        _raise_first(problems)
        if checker is None:
            assert config_error is not None
            raise config_error
        reports: dict[int, PlanReport] = {}
        for connection in connections:
            reports.update(_receive(connection))
        return checker.result([reports[index] for index in sorted(reports)])
    finally:
        for connection in connections:
            connection.close()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()


def _receive(connection: Connection) -> Any:
    try:
        kind, value = connection.recv()
    except EOFError:
        raise RuntimeError("a policy-check worker ended without a result") from None
    if kind == "bug":  # a bug in the pack or the tools, not the user's input: keep the traceback
        raise RuntimeError(f"a policy-check worker failed:\n{value}")
    return value


def _worker(
    connection: Connection, share: list[Item], max_bytes: int, policy_config: Config | None, config_source: str
) -> None:
    try:
        plans, problems = read_and_validate(share, max_bytes)
        connection.send(("problems", problems))
        if not connection.recv():
            return
        checker = make_checker(policy_config, config_source=config_source)
        reports = [(index, report) for (index, _), report in zip(plans, _check(checker, plans), strict=True)]
        connection.send(("reports", reports))
    except BaseException:
        with suppress(OSError):  # the parent may be gone (interrupted): nobody to tell
            connection.send(("bug", traceback.format_exc()))
    finally:
        connection.close()
