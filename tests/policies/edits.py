"""Edits of a plan document for the mutation table: each changes one resource in place and returns its name."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Edit = Callable[[dict[str, Any]], str]


def find(document: dict[str, Any], type_: str, name_part: str = "") -> dict[str, Any]:
    """The first newState of `type_` whose name contains `name_part`."""
    for step in document["steps"]:
        state = step["newState"]
        if state and state["type"] == type_ and name_part in state["urn"].rsplit("::", 1)[-1]:
            return state
    raise LookupError(f"no {type_} named like {name_part!r}")


def name_of(state: dict[str, Any]) -> str:
    return state["urn"].rsplit("::", 1)[-1]


def inputs(type_: str, name_part: str, **changes: Any) -> Edit:
    def edit(document: dict[str, Any]) -> str:
        state = find(document, type_, name_part)
        state["inputs"].update(changes)
        return name_of(state)

    return edit


def option(type_: str, name_part: str, option: str, value: Any) -> Edit:
    def edit(document: dict[str, Any]) -> str:
        state = find(document, type_, name_part)
        state[option] = value
        return name_of(state)

    return edit


def policy(type_: str, name_part: str, prop: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    """Edit a JSON policy document held in a string input."""

    def edit(document: dict[str, Any]) -> str:
        state = find(document, type_, name_part)
        policy = json.loads(state["inputs"][prop])
        change(policy)
        state["inputs"][prop] = json.dumps(policy)
        return name_of(state)

    return edit


def nested(type_: str, name_part: str, change: Callable[[dict[str, Any]], None]) -> Edit:
    def edit(document: dict[str, Any]) -> str:
        state = find(document, type_, name_part)
        change(state["inputs"])
        return name_of(state)

    return edit


def first_statement(**changes: Any) -> Callable[[dict[str, Any]], None]:
    return lambda policy: policy["Statement"][0].update(changes)


def add_statement(statement: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda policy: policy["Statement"].append(statement)
