"""Output files the commands write: whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output path that cannot be written; the message names the path, the reason and the fix."""


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_atomic(path: Path, text: str, option: str) -> None:
    """Write `text` to `path` through a temporary file in the same directory and a rename, so a reader never
    sees half a file and an interrupted run leaves the previous file in place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write(text)
            # mkstemp creates 0600; give the file the mode a plain open() would have.
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise OutputError(f"cannot write {path} ({error.strerror}); fix: choose a writable {option}") from None


def ensure_writable_dir(directory: Path, option: str) -> None:
    """Fail before any AWS call when the output directory cannot be created or written."""
    if directory.exists() and not directory.is_dir():
        raise OutputError(f"cannot write into {directory} (it is a file); fix: choose a writable {option}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot create {directory} ({error.strerror}); fix: choose a writable {option}") from None
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write into {directory} (permission denied); fix: choose a writable {option}")
