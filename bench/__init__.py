"""Benchmarks, run by `make bench` (`python -m bench`), never by the test suite.

Each bench/<name>.py exposes `main() -> dict` of figures; the runner runs each in its own
process (so each may configure Django its own way) and prints one table.
"""
