"""Share bar and training files on every page: settings JSON round trips, weights in and out, bad files refused."""

import json

import pytest
import torch

from core import exports
from tests.conftest import open_page

# One cheap non-default change per page (heavy ones, like a new seed on the autoencoder, would retrain models).
CHANGES = {
    "pages/home.py": {"seed": "7"},
    "pages/neuron.py": {"w1": "5", "data": "Circle", "seed": "7"},
    "pages/activations.py": {"act_parts": "false"},
    "pages/network.py": {"nn_layers": "3", "nn_u3": "5", "nn_g3": "ReLU"},  # layer 3's controls come in a 2nd round
    "pages/gradient_descent.py": {"x0": "2", "lr": "0.05"},
    "pages/backprop.py": {"bp_x1": "1"},
    "pages/overfitting.py": {"of_restore": "false"},
    "pages/dropout.py": {"do_step": "5"},
    "pages/autoencoder.py": {"ae_image": "5"},
}


@pytest.fixture
def exported(monkeypatch):
    """Every settings document the share bar builds, newest last (the download's bytes)."""
    seen = []
    build = exports.encode_config

    def spy(page, params):
        raw = build(page, params)
        seen.append(json.loads(raw))
        return raw

    monkeypatch.setattr(exports, "encode_config", spy)
    return seen


def as_lists(doc: dict) -> dict:
    return {k: v if isinstance(v, list) else [v] for k, v in doc["params"].items()}


def upload_settings(at, doc: dict | bytes):
    raw = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    n = at.session_state["share_cfg_n"] if "share_cfg_n" in at.session_state else 0
    return at.file_uploader(key=f"share_cfg_up_{n}").set_value(("settings.json", raw, "application/json")).run()


def messages(at) -> str:
    return " ".join(str(m.value) for kind in (at.error, at.warning, at.success) for m in kind)


@pytest.mark.parametrize("page", list(CHANGES))
def test_settings_round_trip_on_every_page(page, exported):
    at = open_page(page)
    default = exported[-1]
    assert not at.exception and "seed" in default["params"]
    if page not in ("pages/home.py", "pages/backprop.py"):  # backprop's graph has its own long caption
        assert any("The chart:" in c.value for c in at.caption), "the main chart has no text alternative"
    changed = json.loads(json.dumps(default))
    unknown = set(CHANGES[page]) - set(default["params"]) - {"nn_u3", "nn_g3"}
    assert not unknown, f"the export lacks {unknown}"
    changed["params"].update(CHANGES[page])
    upload_settings(at, changed)
    assert not at.exception and "Settings loaded" in messages(at)
    assert as_lists(exported[-1]) == as_lists(changed)  # import -> the page shows it -> export is the same
    upload_settings(at, default)  # and back: the page's own export restores the defaults exactly
    assert as_lists(exported[-1]) == as_lists(default)


def test_settings_file_sets_the_controls_and_the_link(exported):
    at = open_page("pages/neuron.py")
    doc = json.loads(json.dumps(exported[-1]))
    doc["params"].update(w1="5", data="Circle")
    upload_settings(at, doc)
    assert at.slider(key="w1").value == 5 and at.selectbox(key="data").value == "circle"
    link = at.code[0].value
    assert link.startswith("http://localhost:8501/neuron?") and "w1=5" in link and "data=Circle" in link


BAD_FILES = {
    b"not json": "not valid JSON",
    json.dumps({"page": "neuron", "params": {"nope": "1"}}).encode(): "no setting called `nope`",
    json.dumps({"page": "neuron", "params": {"w1": "99"}}).encode(): "`w1=99` is not a value",
    json.dumps({"page": "neuron", "params": {"data": "Mars"}}).encode(): "Choose among",
    json.dumps({"page": "network", "params": {}}).encode(): "for the page “network”",
}


def test_bad_settings_files_show_why_and_change_nothing(exported):
    at = open_page("pages/neuron.py", w1="4")
    before = exported[-1]
    for raw, says in BAD_FILES.items():
        upload_settings(at, raw)
        assert not at.exception
        assert says in " ".join(e.value for e in at.error)
        assert exported[-1] == before and at.slider(key="w1").value == 4


def test_weights_export_and_import_restore_the_live_model():
    at = open_page("pages/neuron.py")
    for _ in range(3):
        at.button(key="fit_step").click().run()
    trained = at.session_state["fit_run"].model.state()
    raw = exports.encode_weights(trained, {"prefix": "fit"})  # what the download button's callable returns
    at.button(key="fit_reset").click().run()
    assert not torch.equal(at.session_state["fit_run"].model.state()["w"], trained["w"])
    at.file_uploader(key="fit_weights_up_0").set_value(("w.safetensors", raw, "application/octet-stream")).run()
    assert "Loaded 2 weight tensors" in " ".join(s.value for s in at.success)
    now = at.session_state["fit_run"].model.state()
    assert torch.equal(now["w"], trained["w"]) and torch.equal(now["b"], trained["b"])
    at.file_uploader(key="fit_weights_up_1").set_value(("w.safetensors", b"\x80\x04junk", "x")).run()
    assert "Those weights cannot be used" in " ".join(e.value for e in at.error)
    assert torch.equal(at.session_state["fit_run"].model.state()["w"], trained["w"])
