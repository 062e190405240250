"""The stack's config as the Pulumi engine hands it to the program."""

from typing import Any

from pulumi.runtime import config as runtime_config


def current_config() -> dict[str, Any]:
    # The language host fills the runtime's config map; older hosts pass PULUMI_CONFIG instead.
    return {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
