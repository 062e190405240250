"""The AWS vocabulary every layer shares: physical names, ARNs, IAM statements, Bedrock metrics, AWS limits.

Pure (no Pulumi, no boto3 clients): the program, the inventory's derived-name checks and the operator
tools (`obsctl verify`, `report`, `onboard`) import the same definitions, so they cannot drift apart.
"""
