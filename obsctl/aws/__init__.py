"""AWS access for the operator commands: sessions per account (STS AssumeRole of the inventory's deploy
role), clients with adaptive retries, one-line error messages, bounded concurrency with progress."""
