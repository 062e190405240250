"""`obsctl onboard`: add a workload account to stacks/ (org.yaml entry + stack file), validated, atomically,
with an optional preflight of the account against AWS."""
