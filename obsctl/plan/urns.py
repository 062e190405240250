"""URNs and aliases computed the way the Pulumi engine computes them (pkg/resource/deploy/step_generator.go:
`generateURN`, `collapseAliasToUrn`, `inheritedChildAlias`, `generateAliases`), so a plan shows the URN
each resource gets and every old URN an existing stack would find it under.

`urn:pulumi:<stack>::<project>::<qualified type>::<name>`: the qualified type is the resource's type
prefixed by every ancestor component's type (`a$b$type`); the root stack's type is never included.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"


def parts(urn: str) -> tuple[str, str, str, str]:
    """(stack, project, qualified type, name); names may contain '::'."""
    _, stack_and_rest = urn.split("urn:pulumi:", 1)
    stack, project, qualified_type, name = stack_and_rest.split("::", 3)
    return stack, project, qualified_type, name


def name_of(urn: str) -> str:
    return parts(urn)[3]


def qualified_type(urn: str) -> str:
    return parts(urn)[2]


def type_of(urn: str) -> str:
    """The resource's own type (the last component of the qualified type)."""
    return qualified_type(urn).rsplit("$", 1)[-1]


def create(stack: str, project: str, type_: str, name: str, parent: str = "") -> str:
    if parent and qualified_type(parent) != ROOT_STACK_TYPE:
        type_ = f"{qualified_type(parent)}${type_}"
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


class AliasResolver:
    """Resolves the alias specs of each registration to URNs, in registration order (parents first).

    The engine lets a child inherit the alias its parent was actually found under in the old state; with no
    old state at hand, a parent is taken to be found under its first alias (aliases list the most likely old
    URN first)."""

    def __init__(self, stack: str, project: str) -> None:
        self._stack, self._project = stack, project
        # URN -> the alias it is taken to be found under (sg.aliases in the engine).
        self._found_as: dict[str, str] = {}

    def resolve(self, urn: str, type_: str, name: str, parent: str, aliases: Sequence[Any]) -> list[str]:
        """Every alias URN of the resource `urn` (engine order, duplicates removed)."""
        result: list[str] = []

        def add(alias: str) -> None:
            if alias not in result:
                result.append(alias)

        explicit = [self._collapse(alias, type_, name, parent) for alias in aliases]
        for alias in explicit:
            add(alias)
        parent_alias = self._found_as.get(parent) if parent else None
        if parent_alias:
            parent_name = name_of(parent)
            add(self._inherited(type_, name, parent_name, parent_alias))
            for alias in explicit:
                add(self._inherited(type_of(alias), name_of(alias), parent_name, parent_alias))
        if result:
            self._found_as[urn] = result[0]
        return result

    def _collapse(self, alias: Any, type_: str, name: str, parent: str) -> str:
        """One alias (`alias_pb2.Alias`: a URN or a spec) as a URN."""
        if alias.WhichOneof("alias") == "urn":
            return alias.urn
        spec = alias.spec
        alias_parent = parent
        if spec.WhichOneof("parent") == "parentUrn" and spec.parentUrn:
            # A parent that is itself aliased was, in the old state, at its old URN.
            alias_parent = self._found_as.get(spec.parentUrn, spec.parentUrn)
        if spec.WhichOneof("parent") == "noParent" and spec.noParent:
            alias_parent = ""
        return create(
            spec.stack or self._stack,
            spec.project or self._project,
            spec.type or type_,
            spec.name or name,
            alias_parent,
        )

    def _inherited(self, child_type: str, child_name: str, parent_name: str, parent_alias: str) -> str:
        """A child named `<parent name><suffix>` was `<parent's old name><suffix>` under the parent's old URN."""
        if child_name.startswith(parent_name):
            child_name = name_of(parent_alias) + child_name[len(parent_name) :]
        return f"urn:pulumi:{self._stack}::{self._project}::{qualified_type(parent_alias)}${child_type}::{child_name}"
