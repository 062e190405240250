"""A clock for code that times itself: it moves only when the code sleeps (or a stub says a call took time).

Tests that wait or pace stay exact and instant, and a loaded machine cannot make them time out."""

from __future__ import annotations

import threading


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.now += seconds
