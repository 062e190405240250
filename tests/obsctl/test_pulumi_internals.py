"""The private pulumi / pulumi-policy APIs used offline were checked against exact versions: a different
installed version must be re-checked (and CHECKED_VERSIONS updated) before it is trusted."""

from importlib.metadata import version

import pytest

from obsctl.pulumi_internals import CHECKED_VERSIONS


@pytest.mark.parametrize("package", sorted(CHECKED_VERSIONS))
def test_installed_version_is_the_checked_one(package: str) -> None:
    assert version(package) == CHECKED_VERSIONS[package], (
        f"{package} {version(package)} is installed but obsctl/pulumi_internals.py was checked against "
        f"{CHECKED_VERSIONS[package]}: re-check the private APIs it wraps, then update CHECKED_VERSIONS"
    )
