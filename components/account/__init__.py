"""Everything deployed into one workload account (`component.WorkloadObservability`)."""
