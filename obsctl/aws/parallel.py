"""Bounded concurrency with a progress bar on stderr, results in input order."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import TypeVar

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from obsctl.output import errors

T = TypeVar("T")
R = TypeVar("R")


def map_bounded(fn: Callable[[T], R], items: Sequence[T], concurrency: int, description: str) -> list[R]:
    """`fn` over `items`, at most `concurrency` at a time. `fn` must not raise for an expected failure:
    it returns that failure as its result, so one bad account never hides the others."""
    results: list[R | None] = [None] * len(items)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=True) as progress, ThreadPoolExecutor(concurrency) as pool:
        task = progress.add_task(description, total=len(items))
        futures = {pool.submit(fn, item): index for index, item in enumerate(items)}
        for future in as_completed(futures):
            results[futures[future]] = future.result()
            progress.advance(task)
    return results  # type: ignore[return-value]
