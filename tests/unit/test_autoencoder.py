"""The autoencoder core and its figures, checked against torch, scikit-learn, numpy's eigen-decomposition and PIL."""

import base64
import io
import pickle

import numpy as np
import pytest
import torch
from PIL import Image
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from core import autoencoder as ae
from core.activations import ACTIVATIONS
from core.charts import autoencoder as aec
from core.device import pick_device


@pytest.fixture(scope="module")
def D():
    return ae.digits(1)


@pytest.fixture(scope="module")
def default_run(D):
    return ae.train(ae.AEConfig(), D, 60)


def test_digits_are_scikit_learns_images_split_by_the_seed(D):
    bunch = load_digits()
    np.testing.assert_allclose(D.X, bunch.data / 16.0, rtol=1e-6)
    assert D.X.shape == (1797, 64) and D.X.min() == 0 and D.X.max() == 1
    assert (D.y == bunch.target).all()
    assert len(D.train) == 1297 and len(D.test) == 500
    assert np.array_equal(np.sort(np.r_[D.train, D.test]), np.arange(1797))
    assert np.array_equal(ae.digits(1).test, D.test) and not np.array_equal(ae.digits(2).test, D.test)


@pytest.mark.parametrize("hidden, k, act", [((64, 32), 2, "tanh"), ((), 3, "identity"), ((16,), 8, "relu")])
def test_shapes_and_the_forward_pass_match_the_layers_by_hand(hidden, k, act):
    cfg = ae.AEConfig(hidden=hidden, latent=k, activation=act)
    net = ae.AutoencoderFit(cfg, np.zeros((4, 64)), np.zeros((4, 64))).net
    x = torch.rand(5, 64)
    assert net.f(x).shape == (5, k) and net(x).shape == (5, 64)
    linears = [m for m in (*net.f, *net.g) if isinstance(m, torch.nn.Linear)]
    assert [lin.in_features for lin in linears] == [64, *hidden, k, *hidden[::-1]]
    g = ACTIVATIONS[act].g
    a = x
    for part in (net.f, net.g):  # by hand: activation after every linear layer except each half's last
        layers = [m for m in part if isinstance(m, torch.nn.Linear)]
        for i, lin in enumerate(layers):
            a = a @ lin.weight.T + lin.bias
            a = g(a) if i < len(layers) - 1 else a
    torch.testing.assert_close(net(x), a)


def test_squared_error_is_the_summed_mse_per_image():
    x, x_hat = torch.rand(6, 64), torch.rand(6, 64)
    expected = torch.nn.functional.mse_loss(x_hat, x, reduction="none").sum(dim=1)
    torch.testing.assert_close(ae.squared_error(x, x_hat), expected)
    np.testing.assert_allclose(ae.squared_error(x.numpy(), x_hat.numpy()), expected.numpy(), rtol=1e-6)


def test_one_full_batch_step_reports_J_and_the_autograd_gradient_norm(D):
    cfg = ae.AEConfig(batch=4096)  # one minibatch holds every training image: one step = one gradient step
    fit = ae.AutoencoderFit(cfg, D.X[D.train], D.X[D.test])
    twin = pickle.loads(pickle.dumps(fit.net))
    x = torch.tensor(D.X[D.train])
    J = torch.nn.functional.mse_loss(twin(x), x, reduction="sum") / len(x)
    grads = torch.autograd.grad(J, list(twin.parameters()))
    loss, gnorm = fit.step()
    assert loss == pytest.approx(J.item(), rel=1e-5)
    assert gnorm == pytest.approx(float(torch.sqrt(sum((g**2).sum() for g in grads))), rel=1e-4)
    assert fit.held_out == [pytest.approx(fit.error(D.X[D.test]))]


def test_training_lowers_J_on_training_and_held_out_images(default_run):
    assert default_run.status == "capped" and default_run.steps == 60
    losses, held = default_run.losses, default_run.model.held_out
    assert losses[-1] < 0.6 * losses[0] and held[-1] < 0.8 * held[0]
    assert len(held) == 60


def test_runs_are_deterministic_and_resume_exactly(D):
    cfg = ae.AEConfig(hidden=(16,), noise=0.2)
    a = ae.train(cfg, D, 6)
    b = ae.AutoencoderFit(cfg, D.X[D.train], D.X[D.test])
    for _ in range(3):
        b.step()
    saved = b.state()
    copy = pickle.loads(pickle.dumps(b))  # what st.cache_data hands every session
    for fit in (b, copy):
        for _ in range(3):
            fit.step()
    b.load(saved)
    for _ in range(3):
        b.step()
    for fit in (b, copy):
        for (name, w), w_ref in zip(fit.net.state_dict().items(), a.model.net.state_dict().values(), strict=True):
            torch.testing.assert_close(w, w_ref, rtol=0, atol=0, msg=name)
        assert fit.held_out == a.model.held_out


def test_setting_lr_reaches_adam(D):
    fit = ae.AutoencoderFit(ae.AEConfig(), D.X[:10], D.X[:10])
    fit.lr = 0.2
    assert fit.lr == 0.2 and all(g["lr"] == 0.2 for g in fit.opt.param_groups)


def test_pca_error_is_the_sum_of_the_discarded_eigenvalues(D):
    X = D.X[D.train].astype(np.float64)
    lam = np.linalg.eigvalsh(np.cov(X.T, bias=True))[::-1]  # biased covariance: J is a mean over n images
    for k in (2, 8):
        res = ae.pca_result(D, k)
        assert res.J_train == pytest.approx(lam[k:].sum(), rel=1e-4)
        assert res.codes.shape == (1797, k)
        assert res.J_test > res.J_train


def test_a_linear_autoencoder_reaches_pca_and_a_nonlinear_one_beats_it(D, default_run):
    """The classical result: with identity activations the best reachable error is PCA's, and training gets there."""
    pca2 = ae.pca_result(D, 2).J_train
    linear = ae.train(ae.AEConfig(hidden=(), activation="identity"), D, 150).model.error(D.X[D.train])
    assert pca2 * 0.999 <= linear <= pca2 * 1.03
    assert default_run.model.error(D.X[D.train]) < 0.8 * pca2


def test_denoising_cleans_noisy_inputs_better_than_a_plain_autoencoder(D, default_run):
    denoiser = ae.train(ae.AEConfig(noise=0.3), D, 60).model
    noisy = ae.noisy(D.X[D.test], 0.3, seed=0)
    assert noisy.shape == D.X[D.test].shape and (noisy - D.X[D.test]).std() == pytest.approx(0.3, rel=0.05)
    errs = [
        float(ae.squared_error(D.X[D.test], m.decode(m.encode(noisy))).mean()) for m in (denoiser, default_run.model)
    ]
    assert errs[0] < 0.85 * errs[1]


def test_balanced_labels_take_about_m_over_ten_of_each_digit(D):
    y = D.y[D.train]
    for m in (10, 25, 500):
        idx = ae.balanced_labels(y, m, seed=3)
        counts = np.bincount(y[idx], minlength=10)
        assert len(set(idx)) == m and counts.min() >= m // 10 and counts.max() <= -(-m // 10)
    assert np.array_equal(ae.balanced_labels(y, 20, 3), ae.balanced_labels(y, 20, 3))


def test_few_labels_is_reproducible_and_matches_scikit_learn_by_hand(D):
    feats = {"pixels": D.X, "half": D.X[:, ::2]}
    a = ae.few_labels(feats, D, (10, 50), seed=4, draws=2)
    assert all(np.array_equal(a[n], b) for n, b in ae.few_labels(feats, D, (10, 50), seed=4, draws=2).items())
    assert not np.array_equal(a["pixels"], ae.few_labels(feats, D, (10, 50), seed=5, draws=2)["pixels"])
    by_hand = []
    for d in range(2):
        idx = D.train[ae.balanced_labels(D.y[D.train], 50, 4 * 1_000 + d)]
        scaler = StandardScaler().fit(D.X[idx])
        clf = LogisticRegression(max_iter=1_000).fit(scaler.transform(D.X[idx]), D.y[idx])
        by_hand.append(np.mean(clf.predict(scaler.transform(D.X[D.test])) == D.y[D.test]))
    assert a["pixels"][1] == pytest.approx(np.mean(by_hand))
    assert 0.75 < a["pixels"][1] < 1 and a["pixels"][0] < a["pixels"][1]


def test_interpolation_ends_at_the_two_reconstructions(default_run, D):
    fit = default_run.model
    through, fade = ae.interpolate(fit, D.X[3], D.X[8], 10)
    assert through.shape == fade.shape == (10, 64)
    np.testing.assert_allclose(through[[0, -1]], fit.decode(fit.encode(D.X[[3, 8]])), atol=1e-5)
    np.testing.assert_allclose(fade[[0, -1]], D.X[[3, 8]])
    np.testing.assert_allclose(fade[5], D.X[3] + 5 / 9 * (D.X[8] - D.X[3]), rtol=1e-5)


def test_plane_and_latent_grid():
    Z = np.random.default_rng(0).standard_normal((50, 5))
    P, axis = ae.plane(Z)
    assert P.shape == (50, 2) and axis == "code PC"
    np.testing.assert_allclose(np.cov(P.T)[0, 1], 0, atol=1e-9)  # principal directions are uncorrelated
    assert ae.plane(Z[:, :2])[0] is not None and ae.plane(Z[:, :2])[1] == "z"
    u, v = ae.latent_grid(Z[:, :2], 15)
    assert len(u) == len(v) == 15 and u[0] < Z[:, 0].min() and u[-1] > Z[:, 0].max() and v[-1] > Z[:, 1].max()
    assert u[1] - u[0] == pytest.approx(v[1] - v[0])  # square tiles


@pytest.mark.parametrize(
    "kw", [dict(latent=0), dict(latent=17), dict(hidden=(300,)), dict(hidden=(8, 8, 8, 8)), dict(activation="step")]
)
def test_caps_refuse_oversized_or_untrainable_models(kw):
    with pytest.raises(ValueError):
        ae.AEConfig(**kw)


def test_epoch_cap(D):
    with pytest.raises(ValueError):
        ae.train(ae.AEConfig(), D, ae.MAX_EPOCHS + 1)


def test_device_falls_back_to_cpu_and_training_runs_there(D, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    choice = pick_device("cuda")
    assert choice.device.type == "cpu" and "no GPU" in choice.reason
    fit = ae.AutoencoderFit(ae.AEConfig(), D.X[D.train], D.X[D.test], device=choice.device)
    fit.step()
    assert fit.X.device.type == "cpu" and all(p.device.type == "cpu" for p in fit.net.parameters())


def test_images_become_dark_ink_on_white_tiles():
    X = np.zeros((3, 64), np.float32)
    X[0, 0], X[1, 63], X[2] = 1.0, 0.5, 2.0  # 2.0 is clipped to full ink
    img = aec.ink(X)
    assert img.shape == (3, 8, 8) and img[0, 0, 0] == 0 and img[0, 0, 1] == 255 and img[1, 7, 7] == 128
    t = aec.tile(X, cols=2)
    assert t.shape == (19, 19) and (t[0] == aec.GAP).all() and (t[9] == aec.GAP).all()  # frame and gap
    assert t[1, 1] == 0 and t[1, 2] == 255 and t[8, 17] == 128 and t[10, 1] == 0 and (t[10:, 10:] == aec.GAP).all()
    png = Image.open(io.BytesIO(aec.png(t, scale=3)))
    assert png.size == (57, 57) and np.array_equal(np.asarray(png)[::3, ::3], t)


def test_each_digit_gets_its_own_colour_shape_and_label(D):
    P = np.c_[D.y, -D.y] + 0.01 * np.arange(1797)[:, None] / 1797
    fig = aec.latent_figure(P, D.y, chosen=7)
    for d in range(10):
        trace, idx = fig.data[d], np.flatnonzero(D.y == d)
        assert trace.name == str(d) and trace.marker.color == aec.DIGIT_COLORS[d]
        assert trace.marker.symbol == aec.DIGIT_SYMBOLS[d] and list(trace.customdata) == list(idx)
        np.testing.assert_array_equal(trace.x, P[idx, 0])
    assert len(set(aec.DIGIT_SYMBOLS)) == 10 and len(set(aec.DIGIT_COLORS)) == 10
    labels = {a.text: (a.x, a.y) for a in fig.layout.annotations}
    assert labels["<b>4</b>"] == pytest.approx((np.median(P[D.y == 4, 0]), np.median(P[D.y == 4, 1])))
    assert fig.data[10].x[0] == P[7, 0] and fig.data[11].y[0] == P[7, 1]  # the ring around the chosen image


def test_latent_map_puts_each_decoded_tile_at_its_code():
    u, v = np.linspace(-1, 1, 3), np.linspace(0, 4, 3)
    decoded = np.zeros((9, 64), np.float32)
    decoded[2, 0] = 1.0  # the tile at (u[2], v[0]): bottom right, its top-left pixel inked
    fig = aec.latent_map_figure(u, v, decoded, np.zeros((4, 2)), np.arange(4), (0.5, 9.0))
    image = fig.layout.images[0]
    png = np.asarray(Image.open(io.BytesIO(base64.b64decode(image.source.split(",")[1]))))[::4, ::4]
    assert png.shape == (30, 30) and png[21, 21] == 0 and (png == 255).sum() == 9 * 64 - 1
    assert (png[0] == aec.GAP).all() and (png[:, 10] == aec.GAP).all()  # a frame around every tile
    assert (image.x, image.y, image.sizex, image.sizey) == pytest.approx((-1.5, 5.0, 3.0, 6.0))
    assert fig.layout.yaxis.range[1] == 9.0  # the chosen point is always in view


def test_curve_and_few_labels_figures_carry_the_numbers():
    fig = aec.training_figure([3.0, 2.0], [3.5, 2.5], 2.7, 2)
    assert list(fig.data[0].y) == [3.0, 2.0] and list(fig.data[1].y) == [3.5, 2.5]
    assert fig.layout.shapes[0].y0 == 2.7 and "PCA, k = 2" in fig.layout.annotations[0].text
    acc = {"code": np.array([0.5, 0.7]), "pixels": np.array([0.4, 0.9])}
    fig = aec.few_labels_figure((10, 20), acc, 20)
    assert [list(t.y) for t in fig.data] == [[0.5, 0.7], [0.4, 0.9]] and fig.layout.shapes[0].x0 == 20
