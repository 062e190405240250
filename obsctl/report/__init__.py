"""`obsctl report`: usage, estimated cost, reliability, budget, security signals and firing alarms per
account, region and model, for a period and the period before it; Markdown, JSON and self-contained HTML."""
