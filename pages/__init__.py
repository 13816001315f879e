"""Streamlit pages, one per lecture topic, plus their shared helpers (ui.py, course.py)."""
