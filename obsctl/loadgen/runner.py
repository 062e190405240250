"""Send a `LoadPlan` with one attempt per call and record what each call saw.

The client must be built without retries (`obsctl.aws.session.NO_RETRIES`): a throttled call is recorded as
throttled, never silently retried. Workers pace themselves (`interval_seconds` from one start to the next),
and no call starts after `max_seconds`. A failure that makes every further call pointless (bad credentials,
an endpoint without the API) stops the run; throttles, access denials and model errors are observations.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from obsctl.aws.errors import classify, explain
from obsctl.aws.session import UnsupportedByEndpoint
from obsctl.loadgen.plan import LoadPlan

NOT_SENT = "NotSent"
# Failures after which no further call can succeed: stop instead of sending the rest.
_FATAL_KINDS = frozenset({"credentials", "unsupported"})


@dataclass(frozen=True)
class CallRecord:
    index: int
    model: str
    started_s: float | None  # seconds since the run started; None when not sent
    latency_ms: float | None  # request sent until the response (or, streaming, its last event) arrived
    ttft_ms: float | None  # streaming only: until the first content delta
    outcome: str  # "ok", the AWS error code, or NotSent
    kind: str | None  # the error's kind (obsctl.aws.errors): throttled, denied, ...
    input_tokens: int = 0
    output_tokens: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def throttled(self) -> bool:
        return self.kind == "throttled"


@dataclass(frozen=True)
class RunResult:
    records: list[CallRecord]
    seconds: float
    stopped: str | None  # why the run stopped early (a fatal error, the time limit), else None


def request(plan: LoadPlan, model: str) -> dict[str, Any]:
    """The Converse / ConverseStream request for one call (the same shape for both APIs)."""
    return {
        "modelId": model,
        "messages": [{"role": "user", "content": [{"text": plan.load.prompt}]}],
        "inferenceConfig": {"maxTokens": plan.load.max_tokens},
    }


def _error_code(error: BaseException) -> str:
    if isinstance(error, ClientError):
        return str(error.response.get("Error", {}).get("Code") or type(error).__name__)
    return type(error).__name__


class _Run:
    def __init__(
        self,
        client: Any,
        plan: LoadPlan,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        on_record: Callable[[CallRecord], None],
    ):
        self.client, self.plan, self.clock, self.sleep, self.on_record = client, plan, clock, sleep, on_record
        self.started = clock()
        self.pending = list(enumerate(plan.schedule()))
        self.records: dict[int, CallRecord] = {}
        self.lock = threading.Lock()
        self.stopped: str | None = None

    def _next(self) -> tuple[int, str] | None:
        with self.lock:
            if self.stopped is not None or not self.pending:
                return None
            if self.clock() - self.started >= self.plan.load.max_seconds:
                self.stopped = f"time limit of {self.plan.load.max_seconds:g}s reached"
                return None
            return self.pending.pop(0)

    def worker(self) -> None:
        last_start: float | None = None
        while True:
            if last_start is not None and self.plan.load.interval_seconds:
                wait = last_start + self.plan.load.interval_seconds - self.clock()
                if wait > 0:
                    self.sleep(wait)
            item = self._next()
            if item is None:
                return
            last_start = self.clock()
            record = self._call(*item)
            self.records[record.index] = record
            self.on_record(record)

    def _call(self, index: int, model: str) -> CallRecord:
        start = self.clock()
        offset = start - self.started
        try:
            ttft_ms, usage = self._send(model, start)
        except (ClientError, BotoCoreError, UnsupportedByEndpoint) as error:
            kind, _ = classify(error)
            if kind in _FATAL_KINDS:
                action = f"bedrock-runtime:{'ConverseStream' if self.plan.stream else 'Converse'} {model}"
                problem = explain(error, action, f"account {self.plan.account.account_id}, {self.plan.region}")
                with self.lock:
                    self.stopped = self.stopped or str(problem)
            latency_ms = (self.clock() - start) * 1000
            return CallRecord(index, model, offset, latency_ms, None, _error_code(error), kind)
        latency_ms = (self.clock() - start) * 1000
        return CallRecord(
            index,
            model,
            offset,
            latency_ms,
            ttft_ms,
            "ok",
            None,
            int(usage.get("inputTokens", 0)),
            int(usage.get("outputTokens", 0)),
        )

    def _send(self, model: str, start: float) -> tuple[float | None, dict[str, Any]]:
        if not self.plan.stream:
            return None, self.client.converse(**request(self.plan, model)).get("usage", {})
        response = self.client.converse_stream(**request(self.plan, model))
        return self._consume(response["stream"], start)

    def _consume(self, events: Iterable[dict[str, Any]], start: float) -> tuple[float | None, dict[str, Any]]:
        # An exception event in the stream (throttling, model error) raises botocore's EventStreamError,
        # a ClientError carrying the event's code.
        ttft_ms: float | None = None
        usage: dict[str, Any] = {}
        for event in events:
            if ttft_ms is None and "contentBlockDelta" in event:
                ttft_ms = (self.clock() - start) * 1000
            if "metadata" in event:
                usage = event["metadata"].get("usage", {})
        return ttft_ms, usage


def run(
    client: Any,
    plan: LoadPlan,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    on_record: Callable[[CallRecord], None] = lambda _record: None,
) -> RunResult:
    """Send the plan's calls from `plan.load.concurrency` workers; every scheduled call gets a record
    (`on_record` sees each sent call as it completes, e.g. to advance a progress bar)."""
    state = _Run(client, plan, clock, sleep, on_record)
    workers = [threading.Thread(target=state.worker, daemon=True) for _ in range(plan.load.concurrency)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    for index, model in state.pending:
        state.records[index] = CallRecord(index, model, None, None, None, NOT_SENT, None)
    records = [state.records[index] for index in sorted(state.records)]
    return RunResult(records, clock() - state.started, state.stopped)
