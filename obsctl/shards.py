"""`--shard K/N`: the deterministic split of the stacks across N CI runners.

One rule for every command (`plan --all`, `policy-check`, `stacks`): the stacks of stacks/, sorted by name,
dealt round-robin, so shard K holds the K-th, (K+N)-th, ... stack. A runner that plans shard K/N and
policy-checks shard K/N checks exactly the plans it made; the shards' sizes differ by one stack at most.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_FORM = re.compile(r"([0-9]+)/([0-9]+)")


class ShardError(ValueError):
    """A --shard value that is not K/N with 1 <= K <= N; the message names the value and the fix."""


@dataclass(frozen=True)
class Shard:
    index: int  # K, from 1
    count: int  # N

    def select(self, stacks: Iterable[str]) -> list[str]:
        return sorted(stacks)[self.index - 1 :: self.count]

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    match = _FORM.fullmatch(text.strip())
    if match is None:
        raise ShardError(
            f"--shard {text!r} is not K/N; fix: give the runner's shard and the number of shards, e.g. 1/4"
        )
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1:
        raise ShardError(f"--shard {text!r}: N (the number of shards) must be at least 1; fix: e.g. 1/4")
    if not 1 <= index <= count:
        raise ShardError(
            f"--shard {text!r}: K must be between 1 and N ({count}); fix: use one of "
            f"{', '.join(f'{k}/{count}' for k in range(1, min(count, 4) + 1))}{', ...' if count > 4 else ''}"
        )
    return Shard(index, count)
