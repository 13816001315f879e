"""Pure teaching core: torch + numpy, no user interface (never imports streamlit)."""
