"""Streamlit-facing helpers shared by the pages: data access, filters, charts, colours."""
