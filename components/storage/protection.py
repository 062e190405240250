"""How resources that hold logs or keys are protected from accidental deletion.

- `protect=True`: Pulumi refuses any plan that would delete or replace the resource (typo, refactor,
  `pulumi destroy`). Lifted only by the explicit opt-in `settings.allow_data_deletion: true`.
- `retain_on_delete=True` always: even once deletion is allowed, Pulumi only forgets the bucket, log
  group or key; the data and the key that decrypts it stay in AWS until a person deletes them. Keys are
  retained too, because a deleted key makes every retained encrypted log unreadable.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi


@dataclass(frozen=True)
class DataProtection:
    allow_data_deletion: bool = False

    @property
    def protect(self) -> bool:
        return not self.allow_data_deletion

    def options(self, parent: pulumi.Resource) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(parent=parent, protect=self.protect, retain_on_delete=True)
