"""Read a YAML file the tools were handed, refusing hostile or broken files before they reach memory.

Limits are checked in the cheapest order: bytes read (a bounded read, so /dev/zero or a 50 MB file costs
nothing), then one streaming pass over the parser's events (nesting depth, aliases, and the node count the
document would have with every alias expanded: a "billion laughs" file is refused without being built),
then the node tree (duplicate keys, with both line numbers; numbers written as plain decimals, see
yaml_numbers), and only then Python objects. Every refusal is
one line naming the file and the line. libyaml's C parser is used where PyYAML was built with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from inventory.errors import ConfigError
from inventory.identifiers import invisible
from inventory.yaml_numbers import NumberProblem, check_number

# Self-imposed limits, far above any real inventory (the example org: 6 KB, depth 8, ~300 nodes, no aliases).
MAX_YAML_BYTES = 4 * 1024 * 1024
MAX_YAML_DEPTH = 32
MAX_YAML_ALIASES = 100
MAX_YAML_NODES = 200_000  # with every alias expanded

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Refusal(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def read_yaml(path: Path, display: str | None = None) -> Any:
    """The document in `path` as Python objects, or a ConfigError naming the file and the line."""
    return parse_yaml(read_bounded(path, display), display or str(path))


def read_bounded(path: Path, display: str | None = None) -> bytes:
    """At most MAX_YAML_BYTES of a regular file; anything larger, missing or unreadable is a ConfigError."""
    source = display or str(path)
    if invisible(source):
        source = repr(source)
    try:
        if not path.is_file():
            problem = "is not a regular file" if path.exists() else "file not found"
            raise ConfigError(source, [f"{problem}; fix: create it or check the path"])
        with path.open("rb") as handle:
            data = handle.read(MAX_YAML_BYTES + 1)
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise ConfigError(source, [f"cannot be read ({reason}); fix: point at a readable UTF-8 YAML file"]) from None
    if len(data) > MAX_YAML_BYTES:
        raise ConfigError(
            source,
            [f"is larger than {MAX_YAML_BYTES // (1024 * 1024)} MiB; fix: point at the inventory, not another file"],
        )
    return data


def parse_yaml(data: bytes | str, source: str) -> Any:
    """Decode and parse one YAML document with every limit of this module applied."""
    text = ""
    try:
        text = _decode(data)
        _check_events(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_nodes(loader, node)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except _Refusal as refusal:
        where = f"line {refusal.line}: " if refusal.line else ""
        raise ConfigError(source, [f"{where}{refusal}"]) from None
    except yaml.MarkedYAMLError as error:
        raise ConfigError(source, [_marked(error)]) from None
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        char = chr(error.character) if isinstance(error.character, int) else error.character
        raise ConfigError(source, [f"line {line}: character {char!r} is not allowed in YAML; fix: remove it"]) from None
    except yaml.YAMLError as error:
        raise ConfigError(source, [f"not valid YAML: {_one_line(str(error))}"]) from None
    except (ValueError, OverflowError) as error:
        # e.g. an integer of more than 4300 digits, which Python refuses to convert.
        reason = _one_line(str(error)).split(";")[0]
        raise ConfigError(source, [f"holds a value that cannot be read ({reason}); fix: correct the value"]) from None


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _Refusal(line, f"not UTF-8 (byte {data[error.start]:#04x}); fix: save the file as UTF-8") from None


def _check_events(text: str) -> None:
    """Depth, alias count and expanded size from the event stream, before any node is built."""
    budget = _EventBudget()
    for event in yaml.parse(text, Loader=_Loader):
        budget.add(event)


class _EventBudget:
    """Running totals over the parser's events; refuses as soon as one limit is crossed."""

    def __init__(self) -> None:
        self.depth = self.aliases = self.expanded = 0
        self.open: list[tuple[str | None, int]] = []  # per open collection: (anchor, `expanded` at its start)
        self.anchored: dict[str, int] = {}  # anchor -> size of its value with aliases expanded

    def add(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.AliasEvent):
            self._alias(event)
        elif isinstance(event, yaml.ScalarEvent):
            self.expanded += 1
            if event.anchor:
                self.anchored[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            self._start(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            self.depth -= 1
            anchor, at_start = self.open.pop()
            if anchor:
                self.anchored[anchor] = self.expanded - at_start
        if self.expanded > MAX_YAML_NODES:
            raise _Refusal(
                _line(event),
                f"expands to more than {MAX_YAML_NODES} values (aliases of aliases?); fix: write values out",
            )

    def _alias(self, event: yaml.AliasEvent) -> None:
        self.aliases += 1
        if self.aliases > MAX_YAML_ALIASES:
            raise _Refusal(_line(event), f"more than {MAX_YAML_ALIASES} aliases (*name); fix: write values out")
        if event.anchor not in self.anchored:
            raise _Refusal(_line(event), f"alias *{event.anchor} refers to itself or to nothing; fix: remove it")
        self.expanded += self.anchored[event.anchor]

    def _start(self, event: yaml.CollectionStartEvent) -> None:
        self.depth += 1
        if self.depth > MAX_YAML_DEPTH:
            raise _Refusal(_line(event), f"nested deeper than {MAX_YAML_DEPTH} levels; fix: flatten the value")
        self.open.append((event.anchor, self.expanded))
        self.expanded += 1


def _check_nodes(loader: Any, root: yaml.Node) -> None:
    """Every key is text and none repeats (a repeated key would silently win over the first: a second
    `workload_accounts:` drops accounts); every number is written as a plain decimal (yaml_numbers)."""
    seen_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if id(node) in seen_nodes:
            continue  # an alias: checked where it was anchored
        seen_nodes.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(_mapping_items(loader, node, path))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, f"{path}[{index}]") for index, item in enumerate(node.value))
        elif isinstance(node, yaml.ScalarNode):
            try:
                check_number(loader, node)
            except NumberProblem as problem:
                raise _Refusal(node.start_mark.line + 1, f"{path or 'the document'}: {problem}") from None


def _mapping_items(loader: Any, node: yaml.MappingNode, path: str) -> list[tuple[yaml.Node, str]]:
    """The mapping's values with their paths, after refusing non-text and repeated keys."""
    first_line: dict[Any, int] = {}
    items: list[tuple[yaml.Node, str]] = []
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            items.append((value_node, path))
            continue
        line = key_node.start_mark.line + 1
        try:
            check_number(loader, key_node)  # before constructing: `1:2:3:...` as a key costs quadratic time
        except NumberProblem as problem:
            raise _Refusal(line, f"key {problem}") from None
        key = loader.construct_object(key_node)
        if not isinstance(key, str):
            # YAML 1.1 reads `on:`, `yes:`, `1:` or `null:` as booleans, numbers or null, never a field.
            raise _Refusal(line, f"key {key_node.value!r} is read as {key!r}, not as text; fix: quote it")
        if key in first_line:
            raise _Refusal(
                line,
                f"duplicate key {key!r} (first at line {first_line[key]}); the second would silently "
                "replace the first; fix: merge the two into one",
            )
        first_line[key] = line
        shown = key if key.isprintable() and len(key) <= 64 else repr(key[:64])
        items.append((value_node, f"{path}.{shown}" if path else shown))
    return items


def _line(event: yaml.Event) -> int | None:
    return event.start_mark.line + 1 if event.start_mark else None


def _marked(error: yaml.MarkedYAMLError) -> str:
    mark = error.problem_mark or error.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = error.problem or error.context or "unreadable"
    return f"{where}not valid YAML: {_one_line(problem)}; fix: correct the syntax there"


def _one_line(text: str) -> str:
    return " ".join(text.split())
