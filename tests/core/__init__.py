"""Pure tests: no database, no Streamlit."""
