"""Benchmarks: `python -m bench` runs every section and writes bench/results.md and bench/results.json."""

import sys

from bench.run import main

argv = sys.argv[1:]
main(argv if any(a.startswith("--only") for a in argv) else ["--only", "all", *argv])
