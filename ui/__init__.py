"""Streamlit glue shared by the pages: the app handle, the login guard, sidebar and widgets."""
