"""Reading the plan and config files `policy-check` is given: size-bounded, strictly decoded, strictly parsed.

Everything a file can get wrong becomes one `PolicyInputError` line naming the file, the problem and the
fix, before any rule runs: a file too large (refused from its size, before it is read), bytes that are not
UTF-8 (a UTF-8 byte-order mark is accepted), invalid JSON, duplicate keys, NaN/Infinity, numbers a protobuf
Struct (where every number is a double) cannot hold exactly, lone surrogates, nesting too deep to be
meaningful, and more JSON values than any real plan holds (counted from the text before anything is built).
"""

from __future__ import annotations

import codecs
import json
import math
import pathlib
import re
from typing import Any

MIB = 1024 * 1024
DEFAULT_MAX_FILE_MB = 32
MAX_CONFIG_BYTES = 1 * MIB
MAX_DEPTH = 64
# JSON values (objects, arrays, strings, numbers, literals; keys not counted) a file may hold, counted before
# parsing: 10 million `{}` fit in 30 MB and would take 9 GB as Python objects. The largest plan this project
# makes, the monitoring stack of a 200-account org of 10 regions and 10 models each (benchmarks.orgs; 2,112
# AWS resources, 8.1 MB), holds 143,193 values; a workload stack of 10 regions x 10 models (1,576 resources)
# 64,184. The limit is ten times the largest, per DEFAULT_MAX_FILE_MB (`--max-file-mb` raises both).
LARGEST_PLAN_VALUES = 143_193
MAX_JSON_VALUES = 1_500_000
# A JSON string once its escaped backslashes and quotes are gone (`count_values`): a single linear pass.
_STRING = re.compile(r'"[^"]*"')
# Larger integers lose precision as doubles (every number in a protobuf Struct is one).
MAX_EXACT_INTEGER = 2**53

_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


class PolicyInputError(Exception):
    """Bad input (plan or config file): the message is one line naming the file and the fix."""


class _Refused(ValueError):
    """A value the strict parser refuses (raised from json's hooks, turned into PolicyInputError)."""


def read_text(path: pathlib.Path, what: str, fix: str, max_bytes: int) -> str:
    """The file's text, refused when larger than `max_bytes` (checked before reading) or not UTF-8."""
    try:
        if path.is_file() and path.stat().st_size > max_bytes:
            raise _too_large(path, what, max_bytes)
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # pipes and devices have no size: bound the read itself
    except OSError as error:
        raise PolicyInputError(f"{path}: cannot read the {what} ({error.strerror or error}); {fix}") from None
    if len(data) > max_bytes:
        raise _too_large(path, what, max_bytes)
    for bom, encoding in _WIDE_BOMS.items():
        if data.startswith(bom):
            raise PolicyInputError(f"{path}: the {what} is {encoding}-encoded; fix: save it as UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PolicyInputError(
            f"{path}: the {what} is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "fix: save it as UTF-8"
        ) from None


def _too_large(path: pathlib.Path, what: str, max_bytes: int) -> PolicyInputError:
    return PolicyInputError(
        f"{path}: the {what} is larger than {max_bytes / MIB:g} MiB and is not read; fix: check it is the right "
        "file, or raise the limit with --max-file-mb"
    )


def _no_constant(name: str) -> Any:
    raise _Refused(f"contains {name}, which is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"contains the number {text[:24]!r}, too large for a double")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 16 or abs(int(text)) > MAX_EXACT_INTEGER:
        raise _Refused(f"contains the integer {text[:24]!r}, larger than 2^53 (not exact as a double)")
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"repeats the key {key[:60]!r} in one object (only the last would count)")
        result[key] = value
    return result


def max_values(max_bytes: int) -> int:
    """The value limit for files of up to `max_bytes`: MAX_JSON_VALUES, raised in step with --max-file-mb."""
    return MAX_JSON_VALUES * max(1, -(-max_bytes // (DEFAULT_MAX_FILE_MB * MIB)))


def count_values(text: str) -> int:
    """How many JSON values `text` holds (containers and their items, object keys not counted), from a few
    C-speed passes over the text: no object is built, so 10 million `{}` cost a second, not gigabytes.

    Strings are replaced by `0` first (their commas and brackets are text; their escaped backslashes and
    quotes are dropped before, so every remaining `"` delimits one); then every non-empty container holds one
    item more than it has commas. An empty container written with spaces inside (`[ ]`) counts one too many,
    which only errs on the side of the limit."""
    bare = _STRING.sub("0", text.replace("\\\\", "").replace('\\"', ""))
    containers = bare.count("[") + bare.count("{")
    return 1 + bare.count(",") + containers - bare.count("[]") - bare.count("{}")


def parse_json(text: str, source: str, what: str, fix: str, value_limit: int = MAX_JSON_VALUES) -> Any:
    """Strict JSON: no NaN/Infinity, no duplicate keys, exact numbers, valid Unicode, bounded depth and
    a bounded number of values (counted before parsing)."""
    if not text.strip():
        raise PolicyInputError(f"{source}: the {what} is empty; {fix}")
    count = count_values(text)
    if count > value_limit:
        raise PolicyInputError(
            f"{source}: the {what} holds {count:,} JSON values, more than the {value_limit:,} allowed (10 times "
            f"a plan of this project's largest stack, about {LARGEST_PLAN_VALUES:,}), and is not parsed; fix: "
            "check it is the right file, or raise the limit with --max-file-mb (the value limit grows with it)"
        )
    try:
        document = json.loads(
            text, parse_constant=_no_constant, parse_float=_float, parse_int=_int, object_pairs_hook=_object
        )
    except _Refused as error:
        raise PolicyInputError(f"{source}: the {what} {error}; {fix}") from None
    except RecursionError:
        raise PolicyInputError(f"{source}: the {what} is nested too deeply to parse; {fix}") from None
    except ValueError as error:
        raise PolicyInputError(f"{source}: the {what} is not valid JSON ({error}); {fix}") from None
    problem = _value_problem(document)
    if problem:
        raise PolicyInputError(f"{source}: the {what} {problem}; {fix}")
    return document


def _value_problem(document: Any) -> str | None:
    """Depth and string checks json.loads leaves to the caller (iterative: no recursion on hostile input)."""
    pending: list[tuple[Any, int, str]] = [(document, 0, "")]
    while pending:
        value, depth, path = pending.pop()
        if depth > MAX_DEPTH:
            return f"nests values more than {MAX_DEPTH} levels deep (at {_short(path)})"
        if isinstance(value, dict):
            for key, item in value.items():
                if not _utf8(key):
                    return f"has a key that is not valid Unicode (a lone surrogate escape) at {_short(path)}"
                pending.append((item, depth + 1, f"{path}.{key}" if path else key))
        elif isinstance(value, list):
            pending.extend((item, depth + 1, f"{path}[{index}]") for index, item in enumerate(value))
        elif isinstance(value, str) and not _utf8(value):
            return f"has a string that is not valid Unicode (a lone surrogate escape) at {_short(path)}"
    return None


def _short(path: str) -> str:
    if not path:
        return "the top level"
    return path if len(path) <= 120 else f"{path[:57]}...{path[-60:]}"


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
