"""Benchmarks: `python -m bench` measures and writes bench/results.md and bench/results.json."""
