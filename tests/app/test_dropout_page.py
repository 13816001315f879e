"""AppTest: the dropout page opens cleanly, its numbers agree with independent oracles, controls drive them,
links restore them, and bad links warn."""

# ruff: noqa: E741  (l is the lecture's layer index)

import numpy as np
import pytest
import torch

from core import dropout as do
from tests.conftest import open_page

PAGE = "pages/dropout.py"
KEEP = (1.0, 0.7, 0.7)  # the page's default rates: inputs not dropped, both hidden layers keep 0.7
A = np.array([0.9, -0.4, 0.7, 0.2, -0.8, 0.5])
W, B = np.array([1.0, -0.5, 0.8, 1.5, -1.2, 0.6]), 0.1


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def table(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.fixture(scope="module")
def trained():
    """Section 4's default dropout net, trained here independently of the page's caches."""
    return do.train(do.trainers(do.Preset(), KEEP, 1)[1], do.Preset().epochs)


@pytest.fixture(scope="module")
def default_page():
    return open_page(PAGE)


def test_defaults_open_cleanly(default_page):
    at = default_page
    no_errors(at)
    assert not at.warning
    assert [at.slider(key=k).value for k in ("do_p1", "do_p2", "do_batch", "do_step")] == [0.7, 0.7, 1, 1]
    assert at.toggle(key="do_input").value is False and at.slider(key="do_p0").disabled
    assert any("hidden 1: `nn.Dropout(p=0.3)`" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 6


def test_thinned_network_numbers_follow_the_masks(default_page):
    s = do.thinned_steps(do.task(do.Preset(), 1), KEEP, 1, 1, 1)[0]
    alive = s.alive[0]
    live = sum(int(np.outer(alive[l], alive[l + 1]).sum()) for l in range(3))  # edges of the thinned network
    assert metric(default_page, "Weights this step changed") == f"{live} of 54"
    assert metric(default_page, "Hidden units kept, example 1") == f"{int(alive[1].sum() + alive[2].sum())} of 12"
    stats = table(default_page, "units kept").set_index("layer")
    assert stats.loc["hidden layer 1", "units kept"] == alive[1].sum() and stats.loc["hidden layer 1", "of"] == 6


def test_the_expectation_demo_agrees_with_nn_dropout_and_the_formula(default_page):
    at = default_page
    t = table(at, "mean nn.Dropout")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(1)
        theirs = torch.nn.Dropout(p=0.3).train()(torch.tensor(A).expand(1000, 6)).mean(0).numpy()
    np.testing.assert_allclose(t["mean nn.Dropout"], theirs, atol=1e-12)
    assert np.all(np.abs(t["(ours − a) / std. error"]) < 4)  # the identity E[r a / p] = a, within sampling error
    np.testing.assert_allclose(t["p · a"], 0.7 * A)
    assert metric(at, "Next unit's z, eval mode") == f"{A @ W + B:.3f}"
    assert abs(float(metric(at, "Its mean z in training without 1/p")) - (0.7 * A @ W + B)) < 0.05
    assert float(metric(at, "Largest |ours − nn.Dropout|")) < 1e-15


def test_eval_mode_and_test_losses_match_an_independent_torch_model(default_page, trained):
    at = default_page
    model = do.to_torch(trained.net, KEEP).eval()
    with torch.no_grad():
        y_hat = float(model(torch.tensor([[0.3, 0.3]]))[0, 0])
        p_test = model(trained.Xt)[:, 0]
    assert metric(at, "Eval mode ŷ") == metric(at, "PyTorch, model.eval()") == f"{y_hat:.4f}"
    loss = float(torch.nn.BCELoss()(p_test, trained.yt))
    assert metric(at, "Test loss, eval mode") == f"{loss:.3f}"
    assert metric(at, "trained with 1/p, whole net at test") == f"test loss {loss:.3f}"
    lo, hi = (float(x) for x in metric(at, "Train mode: range").split(" – "))
    assert 0 <= lo < y_hat < hi <= 1


def test_one_live_step_matches_an_independent_pair():
    at = open_page(PAGE)
    at.button(key="do_fit_step").click().run()
    no_errors(at)
    pair = do.Pair(*do.trainers(do.Preset(), KEEP, 1))
    pair.step()
    m, t = pair.metrics(), table(at, "plain net").set_index("")
    for net in ("plain", "dropout"):
        assert t.loc["test loss", f"{net} net"] == pytest.approx(m[f"{net}_test_loss"], abs=1e-7)
        assert t.loc["train accuracy", f"{net} net"] == pytest.approx(m[f"{net}_train_acc"], abs=1e-7)


def test_keep_rates_of_one_make_the_twins_identical():
    at = open_page(PAGE, do_p1="1", do_p2="1")
    no_errors(at)
    assert any("no dropout anywhere" in c.value for c in at.caption)
    assert metric(at, "Weights this step changed") == "54 of 54"
    assert not any("units kept" in d.value.columns for d in at.dataframe)
    at.button(key="do_fit_step").click().run()
    t = table(at, "plain net")
    assert (t["plain net"] == t["dropout net"]).all()


def test_step_buttons_move_through_the_minibatches():
    at = open_page(PAGE, do_batch="3")
    at.button(key="do_next").click().run()
    no_errors(at)
    assert at.slider(key="do_step").value == 2
    s = do.thinned_steps(do.task(do.Preset(), 1), KEEP, 3, 2, 1)[1]
    moved = sum(int(np.logical_or.reduce([np.outer(m[l], m[l + 1]) for m in s.alive]).sum()) for l in range(3))
    assert metric(at, "Weights this step changed") == f"{moved} of 54"
    assert table(at, "units kept")["of"].tolist() == [36, 36]  # 2 steps x 3 examples x 6 units per layer


def test_a_link_restores_the_view():
    params = dict(do_p1="0.5", do_p2="0.9", do_input="true", do_p0="0.6", do_batch="2", do_step="4", do_masks="100",
                  do_x1="-0.5", do_data="Circle", do_n="50", do_noise="0.2", do_width="8", do_k="10")  # fmt: skip
    at = open_page(PAGE, **params)
    no_errors(at)
    assert not at.warning
    assert [at.slider(key=k).value for k in ("do_p1", "do_p2", "do_p0", "do_batch", "do_step")] == [0.5, 0.9, 0.6, 2, 4]
    assert at.toggle(key="do_input").value and at.select_slider(key="do_masks").value == 100
    assert at.selectbox(key="do_data").value == "circle" and at.select_slider(key="do_k").value == 10
    assert [at.slider(key=k).value for k in ("do_x1", "do_n", "do_noise", "do_width")] == [-0.5, 50, 0.2, 8]
    assert any("inputs: `nn.Dropout(p=0.4)`" in c.value for c in at.caption)
    s = do.thinned_steps(do.task(do.Preset(), 1), (0.6, 0.5, 0.9), 2, 4, 1)[3]
    stats = table(at, "units kept").set_index("layer")
    assert stats.loc["inputs", "of"] == 4 * 2 * 2 and metric(at, "Test loss, mean of 10")
    assert metric(at, "Hidden units kept, example 1") == f"{int(s.alive[0][1].sum() + s.alive[0][2].sum())} of 12"


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"do_p1": "abc"}, "do_p1=abc"),
        ({"do_p2": "0"}, "do_p2=0"),
        ({"do_batch": "9"}, "do_batch=9"),
        ({"do_step": "1.5"}, "do_step=1.5"),
        ({"do_input": "maybe"}, "do_input=maybe"),
        ({"do_data": "nope"}, "do_data=nope"),
        ({"do_k": "7"}, "do_k=7"),
        ({"do_masks": "inf"}, "do_masks=inf"),
    ],
)
def test_bad_url_values_warn_and_fall_back(params, fragment):
    at = open_page(PAGE, **params)
    no_errors(at)
    assert any(fragment in w.value and "Using the default" in w.value for w in at.warning)
