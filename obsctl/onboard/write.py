"""Write the new stack file and the edited org.yaml: both or neither, never a half-written file.

Each file is written to a temp file in its own directory (same filesystem), flushed to disk, then moved into
place in one step: `os.link` for the stack file (fails if the name exists, so a concurrent onboard cannot
be clobbered) and `os.replace` for org.yaml. If anything fails or is interrupted after the stack file is in
place, it is removed again; org.yaml is replaced last, only if it still holds the bytes that were edited.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


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


def write_pair(org_path: Path, original: str, org_text: str, stack_path: Path, stack_text: str) -> None:
    """Replace org.yaml (whose current text must still be `original`) and create the stack file."""
    try:
        mode = stat.S_IMODE(org_path.stat().st_mode)
        org_tmp = _temp_beside(org_path, org_text, mode)
    except OSError as error:
        raise WriteError(f"cannot write in {org_path.parent} ({error.strerror}); fix: check its permissions") from None
    stack_tmp: Path | None = None
    try:
        stack_tmp = _temp_beside(stack_path, stack_text, mode)
        _link_new(stack_tmp, stack_path)
        try:
            if org_path.read_text(encoding="utf-8") != original:
                raise WriteError(f"{org_path} changed while onboarding; nothing written; fix: run onboard again")
            os.replace(org_tmp, org_path)
        except BaseException:
            stack_path.unlink(missing_ok=True)
            raise
    except OSError as error:
        raise WriteError(f"cannot write {stack_path.parent} ({error.strerror}); nothing written") from None
    finally:
        org_tmp.unlink(missing_ok=True)
        if stack_tmp is not None:
            stack_tmp.unlink(missing_ok=True)


def _link_new(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except FileExistsError:
        raise WriteError(f"{target} appeared while onboarding; nothing written; fix: run onboard again") from None
