"""Write the edited org.yaml and the new stack file: both or neither, never a half-written file, and a run
killed in between is completed by running the same onboard again.

Each file is written to a temp file in its own directory (same filesystem) and flushed to disk. Then
org.yaml is replaced (`os.replace`, only if it still holds the bytes that were edited) and the stack file is
linked into place last (`os.link`: fails if the name exists, so a concurrent onboard is never clobbered).
An error or interrupt after org.yaml was replaced puts the original org.yaml back. A process killed between
the two steps (nothing can roll back) leaves org.yaml with the account and no stack file: no stack refers to
the account, so nothing plans or deploys it, and the same `obsctl onboard` command writes only the missing
stack file (`propose` recognises the state). Temp files of this naming left by a killed run are removed by
the next write.
"""

from __future__ import annotations

import os
import stat
import tempfile
import time
from pathlib import Path

# A temp file of ours older than this was left by a killed run (a write takes milliseconds).
STALE_SECONDS = 60


class WriteError(Exception):
    """The files could not be written; nothing was changed. The message names the fix."""


def _temp_beside(target: Path, text: str, mode: int) -> Path:
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(name, mode)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def remove_stale_temps(directory: Path, now: float | None = None) -> list[Path]:
    """Temp files of `_temp_beside`'s naming (`.org.yaml.*.tmp`, `.Pulumi.*.yaml.*.tmp`) older than
    STALE_SECONDS: what a killed onboard leaves behind. Younger ones may belong to a running onboard."""
    now = time.time() if now is None else now
    removed = []
    for pattern in (".org.yaml.*.tmp", ".Pulumi.*.yaml.*.tmp"):
        for path in directory.glob(pattern):
            try:
                if now - path.lstat().st_mtime > STALE_SECONDS and path.is_file():
                    path.unlink()
                    removed.append(path)
            except FileNotFoundError:
                continue
    return removed


def write_pair(org_path: Path, original: str, org_text: str, stack_path: Path, stack_text: str) -> None:
    """Replace org.yaml (whose current text must still be `original`) with `org_text`, then create the stack
    file. With `org_text == original` (completing an interrupted onboard) only the stack file is written."""
    try:
        remove_stale_temps(org_path.parent)
        mode = stat.S_IMODE(org_path.stat().st_mode)
    except OSError as error:
        raise WriteError(f"cannot write in {org_path.parent} ({error.strerror}); fix: check its permissions") from None
    temps: list[Path] = []
    try:
        stack_tmp = _temp_beside(stack_path, stack_text, mode)
        temps.append(stack_tmp)
        if org_text == original:
            _check_unchanged(org_path, original)
            _link_new(stack_tmp, stack_path)
            return
        org_tmp = _temp_beside(org_path, org_text, mode)
        temps.append(org_tmp)
        restore_tmp = _temp_beside(org_path, original, mode)  # ready before anything changes
        temps.append(restore_tmp)
        _check_unchanged(org_path, original)
        if stack_path.exists():
            raise WriteError(f"{stack_path} appeared while onboarding; nothing written; fix: run onboard again")
        os.replace(org_tmp, org_path)
        try:
            _link_new(stack_tmp, stack_path)
        except BaseException:
            if org_path.read_text(encoding="utf-8") == org_text:  # put the original back unless edited since
                os.replace(restore_tmp, org_path)
            raise
    except OSError as error:
        raise WriteError(f"cannot write {stack_path.parent} ({error.strerror}); nothing written") from None
    finally:
        for temp in temps:
            temp.unlink(missing_ok=True)


def _check_unchanged(org_path: Path, original: str) -> None:
    if org_path.read_text(encoding="utf-8") != original:
        raise WriteError(f"{org_path} changed while onboarding; nothing written; fix: run onboard again")


def _link_new(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        raise WriteError(f"{target} appeared while onboarding; nothing written; fix: run onboard again") from None
