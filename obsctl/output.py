"""The CLI's two consoles: results on stdout, errors and progress on stderr (so `--json -` stays clean)."""

from __future__ import annotations

import sys

from rich.console import Console

# Plan tables are wide; CI logs are not terminals, so do not squeeze them to 80 columns there.
console = Console(width=None if sys.stdout.isatty() else 200)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
