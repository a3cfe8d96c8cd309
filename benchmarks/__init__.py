"""Benchmarks: each module runs as a script; load_sessions also serves tests/test_load_smoke.py."""
