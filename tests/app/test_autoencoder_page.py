"""AppTest: the autoencoder page opens trained, its numbers match torch, scikit-learn and numpy, and its URL works."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from core import autoencoder as ae
from tests.conftest import open_page

PAGE = "pages/autoencoder.py"


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def captions(at) -> list[str]:
    """Every caption on the page: st.caption text and the captions under images."""
    return [c.value for c in at.caption] + [c for img in at.get("image") for c in img.captions]


def errors_table(at):
    return next(d.value for d in at.dataframe if "J, held-out images" in d.value.columns).set_index("model")


def pca_J(D: ae.Digits, k: int) -> float:
    """Closed form: PCA's mean squared reconstruction error is the sum of the discarded covariance eigenvalues."""
    lam = np.linalg.eigvalsh(np.cov(D.X[D.train].astype(np.float64).T, bias=True))[::-1]
    return float(lam[k:].sum())


def test_default_view_is_a_trained_latent_space_with_checked_numbers():
    at = open_page(PAGE)
    no_errors(at)
    D = ae.digits(1)
    assert metric(at, "Epoch") == "60" and at.session_state["ae_playing"] is False
    net = at.session_state["ae_run"].model.net
    with torch.no_grad():
        x = torch.tensor(D.X[D.test])
        J_test = torch.nn.functional.mse_loss(net(x), x, reduction="sum").item() / len(x)
        x = torch.tensor(D.X[D.train])
        J_train = torch.nn.functional.mse_loss(net(x), x, reduction="sum").item() / len(x)
    assert metric(at, "J, held out") == f"{J_test:.3f}"
    fresh = ae.train(ae.AEConfig(seed=1), D, 60)  # the cached default is exactly a 60-epoch run from the seed
    assert metric(at, "J, training") == f"{fresh.losses[-1]:.3f}"
    table = errors_table(at)
    assert table.loc["PCA, k = 2", "J, training images"] == pytest.approx(pca_J(D, 2), rel=1e-4)
    assert table.iloc[1]["J, training images"] == pytest.approx(J_train, rel=1e-5)
    assert J_train < pca_J(D, 2)
    assert any("Image #0 is a **0**" in c for c in captions(at))
    assert all(img.proto.imgs[0].url.endswith(".png") for img in at.get("image"))  # lossless: no JPEG smudges
    assert len(at.get("plotly_chart")) == 6  # scatter, curve, latent map, PCA, autoencoder, few labels
    # The few-labels number for raw pixels, refitted by hand with scikit-learn (3 labellings of m = 10 images).
    by_hand = []
    for d in range(3):
        idx = D.train[ae.balanced_labels(D.y[D.train], 10, 1_000 + d)]
        scaler = StandardScaler().fit(D.X[idx])
        clf = LogisticRegression(max_iter=1_000).fit(scaler.transform(D.X[idx]), D.y[idx])
        by_hand.append(np.mean(clf.predict(scaler.transform(D.X[D.test])) == D.y[D.test]))
    assert metric(at, "raw pixels, m = 10") == f"{np.mean(by_hand):.1%}"


def test_a_new_latent_size_trains_live_and_pca_follows():
    at = open_page(PAGE)
    at.slider(key="ae_k").set_value(8).run()
    no_errors(at)
    assert at.session_state["ae_playing"] is True  # a changed model starts training at once
    assert int(metric(at, "Epoch")) < 60
    assert errors_table(at).loc["PCA, k = 8", "J, training images"] == pytest.approx(pca_J(ae.digits(1), 8), rel=1e-4)
    assert any("needs a 2-D code" in i.value for i in at.info)
    at.button(key="ae_play").click().run()
    assert at.session_state["ae_playing"] is False
    steps = metric(at, "Epoch")
    at.run()
    assert metric(at, "Epoch") == steps  # paused: nothing moves


def test_reset_starts_from_random_weights_and_one_step_trains_one_epoch():
    at = open_page(PAGE)
    at.button(key="ae_reset").click().run()
    no_errors(at)
    assert metric(at, "Epoch") == "0" and at.session_state["ae_playing"] is False
    at.button(key="ae_step").click().run()
    assert metric(at, "Epoch") == "1"
    fresh = ae.train(ae.AEConfig(), ae.digits(1), 1)
    assert metric(at, "J, training") == f"{fresh.losses[0]:.3f}"


def test_fewer_epochs_restart_and_more_epochs_continue():
    at = open_page(PAGE, ae_epochs="30")
    assert metric(at, "Epoch") == "30"
    at.slider(key="ae_epochs").set_value(40).run()
    assert at.session_state["ae_playing"] is True and at.session_state["ae_run"].max_steps == 40


def test_url_reproduces_the_state():
    at = open_page(
        PAGE,
        ae_hidden="64 → 32 → k",
        ae_act="ReLU",
        ae_noise="0.2",
        ae_lr="0.003",
        ae_epochs="20",
        ae_image="5",
        ae_from="1",
        ae_to="7",
        ae_labels="50",
        ae_z1="1.5",
        ae_z2="-2",
        seed="3",
    )
    no_errors(at)
    assert not at.warning
    assert at.selectbox(key="ae_hidden").value == "32" and at.selectbox(key="ae_act").value == "relu"
    assert at.slider(key="ae_noise").value == 0.2 and at.select_slider(key="ae_lr").value == 0.003
    assert at.number_input(key="ae_image").value == 5 and at.select_slider(key="ae_labels").value == 50
    D = ae.digits(3)
    where = "held out" if 5 in set(D.test) else "a training image"
    assert any(f"Image #5 is a **5** ({where})" in c for c in captions(at))
    assert "g(1.50, -2.00)" in captions(at)
    assert any(r"\tilde{\mathbf{x}} = \mathbf{x} + 0.2" in lx.value for lx in at.latex)
    assert any("from digit 1 (image #1) to digit 7 (image #7)" in c for c in captions(at))
    assert ["original x", "noisy input x̃", "x̂ = g(f(x̃))"] == next(
        i.captions for i in at.get("image") if len(i.captions) > 1
    )
    assert at.session_state["ae_run"].model.cfg == ae.AEConfig((32,), 2, "relu", 0.2, 0.003, seed=3)


def test_bad_url_values_warn_and_fall_back():
    bad = {"ae_k": "99", "ae_hidden": "nope", "ae_lr": "7", "ae_image": "-3", "ae_z1": "abc", "ae_labels": "11"}
    at = open_page(PAGE, **bad)
    no_errors(at)
    for key, raw in bad.items():
        assert any(f"{key}={raw}" in w.value and "Using the default" in w.value for w in at.warning), key
    assert at.slider(key="ae_k").value == 2 and at.number_input(key="ae_image").value == 0
    assert metric(at, "Epoch") == "60"  # the defaults, pretrained
