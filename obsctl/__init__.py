"""obsctl: operator tooling for the Bedrock observability platform (offline plan, policy check, onboarding)."""
