"""Parts of bench/fuzz_cli.py: the mutations and the worker process (not benchmarks themselves)."""
