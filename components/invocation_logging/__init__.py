"""Bedrock model invocation logging of one account-region (`component.InvocationLogging`)."""
