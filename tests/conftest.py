"""Shared test helpers: the repository's paths and a way to open the app at a page with URL parameters."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")


def open_page(page: str | None = None, **params):
    """Run the app (optionally switched to `page`, e.g. "pages/neuron.py") with URL query parameters."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at
