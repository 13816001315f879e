"""AppTest: the backpropagation page steps through the pass, answers its controls, and restores itself from a link."""

import pytest

from core import backprop as bp
from tests.conftest import open_page

PAGE = "pages/backprop.py"


def no_errors(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def step_box(at) -> str:
    """The formula of the current step: the latex block that follows the step's title."""
    return next(lx.value.strip("$\n") for lx in at.latex if lx.value.strip("$\n").startswith(r"\begin{gathered}"))


def oracle(hidden=(2,), act="sigmoid", loss="bce", x=bp.EXAMPLE_X, y=1, seed=None, alpha=0.5) -> bp.Pass:
    net = bp.example_net(hidden, act, loss) if seed is None else bp.random_net(hidden, act, loss, seed)
    return bp.walk(net, x, y, alpha)


def test_defaults_open_at_the_first_step_with_every_answer_agreeing():
    at = open_page(PAGE)
    no_errors(at)
    assert not at.warning and not at.error
    assert at.slider(key="bp_step").value == 0 and at.slider(key="bp_step").max == 17
    assert "x_1 = 1.0000, x_2 = 0.5000" in step_box(at)
    p = oracle()
    assert metric(at, "Chain rule, by hand") == f"{p.autograd['w1_11']:.10f}"
    assert metric(at, "torch autograd") == f"{p.autograd['w1_11']:.10f}"
    assert metric(at, "Loss J after one step") == f"{p.new_J:.6f}"
    table = next(d.value for d in at.dataframe if "torch autograd" in d.value.columns)
    assert table["|hand − autograd|"].max() < 1e-15 and table["|hand − finite diff.|"].max() < 1e-6
    update = next(d.value for d in at.dataframe if "torch.optim.SGD" in d.value.columns)
    assert update["difference"].abs().max() < 1e-15


def test_buttons_walk_forward_backward_and_to_the_update():
    at = open_page(PAGE)
    at.button(key="bp_next").click().run()
    no_errors(at)
    assert at.slider(key="bp_step").value == 1
    assert r"= 0.5000 \cdot 1.0000 + (-0.3000) \cdot 0.5000 + 0.1000 = 0.4500" in step_box(at)
    at.button(key="bp_all").click().run()
    assert at.slider(key="bp_step").value == 17 and "0.4998 \\;\\to\\; 0.3820" in step_box(at)
    at.button(key="bp_prev").click().run()
    assert at.slider(key="bp_step").value == 16
    assert r"\frac{\partial J}{\partial w^{(1)}_{21}}" in step_box(at)  # the weights into hidden unit 2
    at.button(key="bp_start").click().run()
    assert at.slider(key="bp_step").value == 0


def test_play_advances_on_each_refresh_and_stops_at_the_end():
    at = open_page(PAGE, bp_step="16")
    at.button(key="bp_play").click().run()  # run_every never fires in AppTest: each run is one refresh
    no_errors(at)
    assert at.session_state["bp_playing"] and at.slider(key="bp_step").value == 17
    assert at.button(key="bp_play").label == "❚❚ Pause"
    at.run()  # the next refresh finds the end: playing stops
    assert not at.session_state["bp_playing"] and at.slider(key="bp_step").value == 17
    at.button(key="bp_play").click().run()  # play again from the end starts over
    assert at.slider(key="bp_step").value == 1
    at.button(key="bp_play").click().run()
    assert not at.session_state["bp_playing"]


def test_controls_drive_the_numbers():
    at = open_page(PAGE)
    at.selectbox(key="bp_act").set_value("relu").run()
    no_errors(at)
    table = next(d.value for d in at.dataframe if "torch autograd" in d.value.columns)
    hand = dict(zip(table["gradient of"], table["chain rule (hand)"], strict=True))
    assert hand["w(1)21"] == hand["w(1)22"] == hand["w(2)12"] == 0.0  # the try-this: hidden unit 2 is dead
    at.selectbox(key="bp_of").set_value("x1").run()
    lines = [lx.value for lx in at.latex if "path" in lx.value]
    assert len(lines) == 3 and r"\sum_{\text{paths}}" in lines[-1]  # two paths meet at x1, then their sum
    p = oracle(act="relu")
    assert metric(at, "Finite difference") == f"{p.numeric['x1']:.10f}"
    at.radio(key="bp_loss").set_value("squared").run()
    assert metric(at, "torch autograd") == f"{oracle(act='relu', loss='squared').autograd['x1']:.10f}"
    at.slider(key="bp_depth").set_value(40).run()
    assert metric(at, "Sigmoid: gradient at layer 1") == f"{bp.chain_gradients('sigmoid', 40, 1.0)[0]:.2e}"


def test_a_link_restores_every_control():
    at = open_page(
        PAGE,
        bp_layers="2",
        bp_units="3",
        bp_act="Tanh",
        bp_loss="Squared error",
        bp_x1="-1.5",
        bp_x2="0.7",
        bp_y="0",
        bp_init="Random (seed)",
        seed="7",
        bp_lr="0.1",
        bp_step="9",
        bp_of="w(2)13",
        bp_depth="30",
        bp_w="2",
    )
    no_errors(at)
    assert not at.warning
    assert at.slider(key="bp_step").value == 9 and at.selectbox(key="bp_of").value == "w2_13"
    p = oracle((3, 3), "tanh", "squared", (-1.5, 0.7), 0, seed=7, alpha=0.1)
    assert at.slider(key="bp_step").max == len(p.steps) - 1
    assert metric(at, "Chain rule, by hand") == f"{p.autograd['w2_13']:.10f}"
    assert metric(at, "Loss J after one step") == f"{p.new_J:.6f}"
    assert step_box(at).startswith(r"\begin{gathered}" + p.steps[9].latex[0])
    assert metric(at, "ReLU: gradient at layer 1") == f"{bp.chain_gradients('relu', 30, 2.0)[0]:.2e}"


@pytest.mark.parametrize(
    "params, fragment",
    [
        ({"bp_step": "999"}, "bp_step=999"),
        ({"bp_units": "7"}, "bp_units=7"),
        ({"bp_act": "nope"}, "bp_act=nope"),
        ({"bp_lr": "0.2"}, "bp_lr=0.2"),
        ({"bp_of": "w9"}, "bp_of=w9"),
        ({"bp_x1": "abc"}, "bp_x1=abc"),
        ({"bp_layers": "5"}, "bp_layers=5"),
    ],
)
def test_bad_link_values_warn_and_fall_back(params, fragment):
    at = open_page(PAGE, **params)
    no_errors(at)
    assert any(fragment in w.value and "Using the default" in w.value for w in at.warning)


def test_a_smaller_network_keeps_the_step_and_the_ledger_valid():
    at = open_page(PAGE, bp_units="3", bp_step="22", bp_of="w(1)31")
    no_errors(at)
    assert at.slider(key="bp_step").value == 22
    at.slider(key="bp_units").set_value(1).run()
    no_errors(at)
    last = len(oracle((1,)).steps) - 1
    assert at.slider(key="bp_step").value == last and at.selectbox(key="bp_of").value == "w1_11"


@pytest.mark.parametrize("x2", ["-2", "2"])  # the new loss grows to 118, or overflows to infinity
def test_a_learning_rate_that_overshoots_is_explained(x2):
    at = open_page(PAGE, bp_act="Identity (linear)", bp_units="3", bp_x1="-2", bp_x2=x2, bp_lr="10")
    no_errors(at)
    p = oracle((3,), "identity", x=(-2.0, float(x2)), alpha=10.0)
    assert p.new_J > p.fwd.J
    assert any("This step made the loss worse" in e.value and "smaller learning rate" in e.value for e in at.error)
    at.select_slider(key="bp_lr").set_value(0.1).run()
    assert not at.error
