"""The `trygg` command, the demo and test entry scripts, benchmarks and sample data."""
