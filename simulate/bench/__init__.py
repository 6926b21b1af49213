"""The benchmark: WORKLOAD.md's reference economy, run by icsim and by a per-patient SimPy peer."""
