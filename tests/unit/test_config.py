"""The production settings in .streamlit/config.toml that the app's limits and speed rely on."""

import tomllib

from core.data import MAX_UPLOAD_BYTES
from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_the_servers_upload_cap_matches_the_cores_own_limit():
    # Streamlit counts MB of 2**20 bytes: a file between the two caps reaches core/data.py, which says why.
    mb = CONFIG["server"]["maxUploadSize"]
    assert mb == MAX_UPLOAD_BYTES / 1_000_000 and MAX_UPLOAD_BYTES <= mb * 2**20


def test_no_full_garbage_collection_after_every_run():
    # ~200 ms of server CPU per live refresh otherwise (README, Performance); bench/memory.py watches growth.
    assert CONFIG["runner"]["postScriptGC"] is False


def test_a_deployed_server_neither_watches_files_nor_reports_usage():
    assert CONFIG["server"]["fileWatcherType"] == "none" and CONFIG["server"]["runOnSave"] is False
    assert CONFIG["browser"]["gatherUsageStats"] is False
