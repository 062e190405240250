"""The monthly Amazon Bedrock budget of a workload account: pure builder (`specs`) and component
(`component.AccountBudget`)."""
