"""Tandem's domain: plain Python over DuckDB. Nothing in this package imports streamlit."""
