"""A throwaway copy of stacks/ and an in-process `obsctl onboard` runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from inventory.load import STACKS_DIR
from obsctl.cli import app

NEW = {
    "--name": "fraud-prod",
    "--account-id": "333333333333",
    "--regions": "us-east-1,ap-northeast-1",
    "--models": "anthropic.claude-3-haiku-20240307-v1:0,us.anthropic.claude-3-7-sonnet-20250219-v1:0",
}


@pytest.fixture
def stacks(tmp_path: Path) -> Path:
    copy = tmp_path / "stacks"
    shutil.copytree(STACKS_DIR, copy)
    return copy


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file (temp files included) of `directory`, by name (not its subdirectories: stacks/examples/)."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if not p.is_dir()}


@pytest.fixture
def onboard(stacks: Path) -> Callable[..., Result]:
    """`obsctl onboard` on the copy: NEW's flags, overridden (None drops a flag) or extended by `flags`."""

    def run(*extra: str, **flags: str | None) -> Result:
        options = {**NEW, **{f"--{k.replace('_', '-')}": v for k, v in flags.items()}}
        argv = ["onboard", "--stacks-dir", str(stacks), *extra]
        for flag, value in options.items():
            if value is not None:
                argv += [flag, value]
        return CliRunner().invoke(app, argv, catch_exceptions=False)

    return run
