"""Pulumi ComponentResources of the Bedrock observability platform."""
