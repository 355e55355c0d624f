"""Tests against a real temporary DuckDB file."""
