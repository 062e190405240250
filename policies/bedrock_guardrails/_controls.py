"""The AWS Security Hub controls the rules map to, and the standards each control belongs to.

Checked against Security Hub's control reference (each control page lists its related requirements) and the
AWS Foundational Security Best Practices (FSBP) v1.0.0 control list. A control is not automatically part of
FSBP: CloudWatch.15/.16/.17, CloudTrail.7, KMS.4, S3.14, S3.15 and S3.17 are not, and SNS.1 was retired from
FSBP in April 2024 (it stays in NIST SP 800-53 Rev. 5). CIS numbers differ between benchmark versions, so
each is given with its version. PCI DSS v4.0.1 is named where a control is in that version only.
"""

from __future__ import annotations

from pulumi_policy import PolicyComplianceFramework

FSBP = "AWS FSBP v1.0.0"
NIST = "NIST SP 800-53 Rev. 5"
PCI = "PCI DSS v3.2.1"
PCI4 = "PCI DSS v4.0.1"

CONTROLS: dict[str, tuple[str, ...]] = {
    "CloudTrail.1": (FSBP, "CIS v1.2.0 2.1", "CIS v1.4.0 3.1", "CIS v3.0.0 3.1", NIST),
    "CloudTrail.2": (FSBP, "CIS v1.2.0 2.7", "CIS v1.4.0 3.7", NIST, PCI),
    "CloudTrail.3": (PCI,),
    "CloudTrail.4": (FSBP, "CIS v1.2.0 2.2", "CIS v1.4.0 3.2", NIST, PCI),
    "CloudTrail.5": (FSBP, "CIS v1.2.0 2.4", "CIS v1.4.0 3.4", NIST, PCI),
    "CloudTrail.7": ("CIS v1.2.0 2.6", "CIS v1.4.0 3.6", "CIS v3.0.0 3.4", PCI4),
    "CloudWatch.15": (NIST,),
    "CloudWatch.16": (NIST,),
    "CloudWatch.17": (NIST,),
    "IAM.1": (FSBP, "CIS v1.2.0 1.22", "CIS v1.4.0 1.16", NIST, PCI),
    "IAM.21": (FSBP, NIST),
    "KMS.3": (FSBP, NIST),
    "KMS.4": ("CIS v1.2.0 2.8", "CIS v1.4.0 3.8", NIST, PCI),
    "KMS.5": (FSBP, NIST),
    "S3.1": (FSBP, "CIS v1.4.0 2.1.5", "CIS v3.0.0 2.1.4", NIST, PCI),
    "S3.2": (FSBP, NIST, PCI),
    "S3.3": (FSBP, NIST, PCI),
    "S3.5": (FSBP, "CIS v1.4.0 2.1.2", NIST, PCI),
    "S3.8": (FSBP, "CIS v1.4.0 2.1.5", NIST),
    "S3.9": (FSBP, NIST, PCI4),
    "S3.12": (FSBP, NIST),
    "S3.13": (FSBP, NIST),
    "S3.14": (NIST,),
    "S3.15": (NIST, PCI4),
    "S3.17": (NIST,),
    "SNS.1": (NIST,),
    "SNS.4": (FSBP, NIST),
}


def control(*ids: str) -> PolicyComplianceFramework:
    """Rule metadata: `reference` names the control(s), `specification` the standards they belong to."""
    standards: list[str] = []
    for control_id in ids:
        standards += [s for s in CONTROLS[control_id] if s not in standards]
    return PolicyComplianceFramework(
        name="AWS Security Hub", reference=", ".join(ids), specification="; ".join(standards)
    )
