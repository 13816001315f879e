"""Settings JSON, history CSV and weights files: round trips, and every kind of bad file refused with a reason."""

import csv
import io
import json
import pickle
import struct

import numpy as np
import pytest
import torch

from core import autoencoder as ae
from core import data, dropout, early_stopping, exports, network, neuron
from core.training import Run

PAGE = "neuron"
KEYS = {"w1", "data", "seed", "act_cmp"}


def test_config_round_trip_keeps_every_value():
    params = {"w1": "5", "data": "Two moons", "seed": "7", "act_cmp": ["Sigmoid", "ReLU"]}
    raw = exports.encode_config(PAGE, params)
    assert exports.decode_config(raw, PAGE, KEYS) == params
    assert json.loads(raw)["page"] == PAGE  # readable: a teacher can open it in an editor


def test_config_accepts_hand_typed_numbers_and_booleans():
    raw = json.dumps({"page": PAGE, "params": {"w1": 2.5, "seed": 7, "data": True}}).encode()
    assert exports.decode_config(raw, PAGE, KEYS) == {"w1": "2.5", "seed": "7", "data": "true"}


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        (b"{" + b" " * exports.CONFIG_MAX_BYTES + b"}", "at most"),
        (b"\xff\xfe not text", "not text"),
        (b"{'params': {}}", "not valid JSON"),
        (b'{"params": {"w1": NaN}}', "NaN"),
        (b'{"params": {"w1": Infinity}}', "Infinity"),
        (b"[1, 2]", '"params" object'),
        (b'{"params": []}', '"params" object'),
        (b'{"params": {}, "exec": "rm"}', "Unknown field"),
        (b'{"version": 2, "params": {}}', "version"),
        (b'{"page": "network", "params": {}}', "network"),
        (b'{"params": {"lr": "1"}}', "`lr`"),
        (b'{"params": {"data": {"a": 1}}}', "must be text"),
        (b'{"params": {"data": [[1]]}}', "must be text"),
        (b'{"params": {"data": "' + b"x" * 201 + b'"}}', "longer than"),
        (b'{"params": {"act_cmp": [' + b",".join([b'"a"'] * 21) + b"]}}", "more than"),
        (b"[" * 10_000 + b"]" * 10_000, ""),
    ],
)
def test_bad_settings_files_are_refused_with_a_reason(raw, says):
    with pytest.raises(exports.ExportError) as err:
        exports.decode_config(raw, PAGE, KEYS)
    assert says in str(err.value)


def test_history_csv_has_one_row_per_step_with_its_metrics():
    losses = [0.9, 0.5, 0.25]
    history = [{"train_loss": 0.9, "test_acc": 0.5}, {"train_loss": 0.5, "test_acc": 0.75}, {"train_loss": 0.25}]
    rows = list(csv.DictReader(io.StringIO(exports.history_csv(losses, history))))
    assert [int(r["step"]) for r in rows] == [1, 2, 3]
    assert [float(r["loss"]) for r in rows] == losses
    assert [r["test_acc"] for r in rows] == ["0.5", "0.75", ""]
    assert exports.history_csv([], []) == "step,loss\n"


def _moons():
    ds = data.make_toy("moons", 60, 0.1, seed=0)
    return ds.X, ds.y


def _net(seed: int, hidden=(4, 3), optimizer="adam") -> network.NetTrainer:
    X, y = _moons()
    cfg = network.NetConfig(hidden=hidden, activations=("tanh",) * len(hidden), seed=seed)
    return network.NetTrainer(cfg, X[:40], y[:40], X[40:], y[40:], lr=0.05, batch_size=10, optimizer=optimizer)


def _trainers(seed: int) -> dict:
    """One of every trainer a page drives with Run, small enough to build in milliseconds."""
    X, y = _moons()
    x1 = np.linspace(-1, 1, 30)
    digits = np.random.default_rng(0).random((50, 64))
    small = dropout.Preset(n_train=20, n_test=20, width=4)
    return {
        "neuron": neuron.NeuronFit(neuron.MODELS["logistic"], X, y, [seed, -1.0], 0.5, 0.1),
        "network": _net(seed),
        "dropout": dropout.Pair(*dropout.trainers(small, (1.0, 0.7, 0.7), seed)),
        "early stopping": early_stopping.make_run(x1, np.sin(3 * x1), x1, np.cos(x1), x1, (6,), 0.01, 50, seed).model,
        "autoencoder": ae.AutoencoderFit(ae.AEConfig(hidden=(8,), latent=2, seed=seed), digits[:40], digits[40:]),
    }


@pytest.mark.parametrize("kind", ["neuron", "network", "dropout", "early stopping", "autoencoder"])
def test_weights_round_trip_into_a_fresh_model_without_pickle(kind, monkeypatch):
    trained, fresh = _trainers(1)[kind], _trainers(2)[kind]
    Run(trained).advance(n=3)
    raw = exports.encode_weights(trained.state(), {"prefix": kind})
    want = exports.weight_tensors(trained.state())
    before = exports.weight_tensors(fresh.state())
    assert any(not torch.equal(before[k], want[k]) for k in want)  # the fresh model really differs

    def refuse(*a, **k):
        raise AssertionError("weights must load without unpickling")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(torch, "load", refuse)
    state = fresh.state()
    fresh.load(exports.restore(state, exports.decode_weights(raw, state)))
    got = exports.weight_tensors(fresh.state())
    assert got.keys() == want.keys() and all(torch.equal(got[k], want[k]) for k in want)


def test_weights_file_is_plain_named_tensors():
    tr = _net(1)
    Run(tr).advance(n=2)
    raw = exports.encode_weights(tr.state(), {"prefix": "nn", "steps": "2"})
    (n,) = struct.unpack("<Q", raw[:8])  # safetensors: a JSON header, then raw numbers
    header = json.loads(raw[8 : 8 + n])
    assert header["__metadata__"] == {"app": exports.APP, "prefix": "nn", "steps": "2"}
    names = set(header) - {"__metadata__"}
    assert names == {"W.0", "W.1", "W.2", "b.0", "b.1", "b.2"}  # no optimizer moments, no random streams
    assert {header[k]["dtype"] for k in names} == {"F32"}


def test_wrong_architecture_or_values_are_refused_with_a_reason():
    small, big, deep = _net(1, (4, 3)), _net(1, (5, 3)), _net(1, (4, 3, 2))
    state = small.state()
    with pytest.raises(exports.ExportError, match="shape"):
        exports.decode_weights(exports.encode_weights(big.state(), {}), state)
    with pytest.raises(exports.ExportError, match="unexpected W.3"):
        exports.decode_weights(exports.encode_weights(deep.state(), {}), state)
    bad = small.state()
    bad["W"][0][0, 0] = float("nan")
    with pytest.raises(exports.ExportError, match="not finite"):
        exports.decode_weights(exports.encode_weights(bad, {}), state)
    with pytest.raises(exports.ExportError, match="not a safetensors"):
        exports.decode_weights(b"\x80\x04\x95 a pickle, say", state)
    with pytest.raises(exports.ExportError, match="at most"):
        exports.decode_weights(b"\0" * (exports.WEIGHTS_MAX_BYTES + 1), state)
    assert torch.equal(small.state()["W"][0], state["W"][0])  # nothing was loaded
