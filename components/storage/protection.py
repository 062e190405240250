"""How resources that hold logs or keys are protected from accidental deletion.

- `protect=True`: Pulumi refuses any plan that would delete or replace the resource (typo, refactor,
  `pulumi destroy`). Lifted only by the explicit opt-in `settings.allow_data_deletion: true`.
- `retain_on_delete=True` always: even once deletion is allowed, Pulumi only forgets the bucket, log
  group or key; the data and the key that decrypts it stay in AWS until a person deletes them. Keys are
  retained too, because a deleted key makes every retained encrypted log unreadable.
- A log bucket's settings (public access block, policy, encryption, versioning, lifecycle, ownership,
  access logging, Object Lock) are protected and retained with it: a retained bucket keeps its TLS-only
  policy and public access block instead of being left open when the stack forgets it. Retention also makes
  a replaced setting safe: S3 holds one of each per bucket, and deleting the old one after creating the new
  one would remove the new one.
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

    def options(
        self, parent: pulumi.Resource, depends_on: list[pulumi.Resource] | None = None
    ) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(
            parent=parent, protect=self.protect, retain_on_delete=True, depends_on=depends_on or []
        )
