"""The private pulumi / pulumi-policy APIs used offline were checked against exact versions: a different
installed version must be re-checked (and CHECKED_VERSIONS updated) before it is trusted."""

import ast
from importlib.metadata import version
from pathlib import Path

import pulumi
import pulumi.runtime
import pytest

from inventory.load import PROJECT_DIR
from obsctl.pulumi_internals import CHECKED_VERSIONS, deserialize_properties


@pytest.mark.parametrize("package", sorted(CHECKED_VERSIONS))
def test_installed_version_is_the_checked_one(package: str) -> None:
    assert version(package) == CHECKED_VERSIONS[package], (
        f"{package} {version(package)} is installed but obsctl/pulumi_internals.py was checked against "
        f"{CHECKED_VERSIONS[package]}: re-check the private APIs it wraps, then update CHECKED_VERSIONS"
    )


# The one private module obsctl imports outside pulumi_internals: the analyzer's protobuf messages, the wire
# format the policy commands speak with pulumi-policy (see the module's docstring).
_WIRE_FORMAT = {"pulumi.runtime.proto.analyzer_pb2"}


def _pulumi_imports(path: Path) -> list[str]:
    """Every pulumi / pulumi_policy module or name `path` imports, as `module` or `module.name`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in found if name.split(".")[0] in {"pulumi", "pulumi_policy"}]


def _public(name: str) -> bool:
    """`pulumi`, `pulumi.X` or `pulumi.runtime.X` for a name the package exports."""
    parts = name.split(".")
    if parts == ["pulumi"]:
        return True
    if len(parts) == 2 and parts[0] == "pulumi":
        return parts[1] in pulumi.__all__ or parts[1] == "runtime"
    return len(parts) == 3 and parts[:2] == ["pulumi", "runtime"] and parts[2] in pulumi.runtime.__all__


def test_obsctl_reaches_private_pulumi_apis_only_through_pulumi_internals() -> None:
    private = {
        f"{path.relative_to(PROJECT_DIR)}: {name}"
        for path in (PROJECT_DIR / "obsctl").rglob("*.py")
        if path.name != "pulumi_internals.py"
        for name in _pulumi_imports(path)
        if not _public(name) and name.rsplit(".", 1)[0] not in _WIRE_FORMAT and name not in _WIRE_FORMAT
    }
    assert not private, "import these through obsctl/pulumi_internals.py: " + ", ".join(sorted(private))


def test_the_check_sees_a_private_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from pulumi.runtime.settings import get_stack\nfrom pulumi.runtime import Mocks\n")
    assert [name for name in _pulumi_imports(module) if not _public(name)] == ["pulumi.runtime.settings.get_stack"]


def test_register_resource_response_and_remember() -> None:
    from obsctl.pulumi_internals import MockMonitor, register_resource_response, serialize_properties

    root = register_resource_response("urn:pulumi:s::p::pulumi:pulumi:Stack::p-s")
    assert (root.urn, root.id, root.HasField("object")) == ("urn:pulumi:s::p::pulumi:pulumi:Stack::p-s", "", False)
    answer = register_resource_response("urn:x", "id-1", serialize_properties({"a": 1}))
    assert (answer.id, deserialize_properties(answer.object)) == ("id-1", {"a": 1})

    class NoMocks(pulumi.runtime.Mocks):
        def new_resource(self, args: object) -> tuple[str, dict]:
            raise AssertionError

        def call(self, args: object) -> tuple[dict, None]:
            raise AssertionError

    monitor = MockMonitor(NoMocks())
    monitor.remember("urn:x", "id-1", {"a": 1})
    assert monitor.resources["urn:x"] == ("urn:x", "id-1", {"a": 1})
