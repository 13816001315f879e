import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def _fresh_caches():
    """st.cache_data outlives an AppTest; clear it so tests never see each other's results."""
    st.cache_data.clear()
    yield
