"""The walkthrough of every topic page as data: what to set, what to look at, what to ask.

Step 1 is the page as it opens (no preset), so a link without ?step shows it. Every later step's preset names only
what changes from the step before (values as the widgets hold them: option keys, not shown names). DEFAULTS holds
each page's own default for every control its tour touches, so step k always shows the same view, however a
student got there. tests/app/test_walkthroughs.py checks both against the pages' widgets.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    title: str
    do: str  # what to do and look at (markdown); the preset has already done the setting
    question: str
    options: tuple[str, ...]
    answer: str
    why: str
    preset: dict[str, Any] = field(default_factory=dict)  # widget key -> value, changes from the step before


DEFAULTS: dict[str, dict[str, Any]] = {
    "neuron": {
        "odds_w": 1.0,
        "odds_b": 0.0,
        "data": "gauss",
        "w1": 3.0,
        "w2": -2.0,
        "b": 1.0,
        "discretize": False,
        "model": "logistic",
        "fit_lr": 3.0,
    },
    "gradient_descent": {
        "f": "x^2",
        "x0": 9.0,
        "lr": 0.1,
        "steps": 3,
        "gd_schedule": "constant",
        "gd_land": "bowl",
        "gd_t0": -3.0,
        "gd_t1": 4.5,
        "gd_lr": 0.1,
        "gd_lra": 0.1,
        "gd_n": 200,
        "gd_batch": 40,
        "gd_epochs": 5,
    },
    "activations": {
        "act_cmp": ["sigmoid", "tanh", "relu"],
        "act_layers": 1,
        "act_target": "sine",
        "act_ua": "relu",
        "act_units": 8,
        "act_deep": "sigmoid",
        "act_depth": 10,
        "act_init": "he",
        "act_bias": 0.0,
    },
    "network": {
        "nn_data": "circle",
        "nn_noise": 0.0,
        "nn_n": 500,
        "nn_train": 50,
        "nn_batch": 10,
        "nn_layers": 2,
        "nn_u1": 4,
        "nn_g1": "tanh",
        "nn_x": ["x1", "x2"],
        "nn_lr": 0.03,
        "nn_opt": "sgd",
        "nn_reg": "none",
        "nn_init": "random",
    },
    "backprop": {
        "bp_layers": "1",
        "bp_act": "sigmoid",
        "bp_step": 0,
        "bp_of": "w1_11",
        "bp_depth": 20,
        "bp_w": 1.0,
    },
    "overfitting": {
        "of_n": 15,
        "of_width": 2,
        "of_degree": 3,
        "of_pen": "L1",
        "of_lam": -1.0,
        "of_budget": 9,
    },
    "dropout": {
        "do_p1": 0.7,
        "do_p2": 0.7,
        "do_step": 1,
        "do_masks": 1000,
        "do_k": 100,
    },
    "autoencoder": {
        "ae_act": "tanh",
        "ae_z1": 0.0,
        "ae_z2": 0.0,
        "ae_from": 0,
        "ae_to": 7,
        "ae_labels": 10,
    },
}

TOURS: dict[str, list[Step]] = {
    "neuron": [
        Step(
            "Log-odds to a probability",
            "Section 1 draws the log-odds b + w x, the odds and the probability p against x. Drag the bias **b** to "
            "**−2** and follow the dotted line.",
            "Now at which x is the probability p = 0.5?",
            ("x = −2", "x = 2", "x = 0.5"),
            "x = 2",
            "p = 0.5 exactly where the log-odds b + w x are 0, so x = −b / w = 2 / 1 = 2. The weight w sets how "
            "steeply p climbs there.",
        ),
        Step(
            "The lecture's neuron",
            "Section 2 shows the lecture's neuron ŷ = σ(1 + 3x₁ − 2x₂) on two gaussian clouds, its regions painted "
            "by predicted class (**Discretize output** is on).",
            "Which points does this neuron call class 1?",
            ("Those with 1 + 3x₁ − 2x₂ ≥ 0", "Those with σ(z) ≥ 0", "Those above the x₁ axis"),
            "Those with 1 + 3x₁ − 2x₂ ≥ 0",
            "p = σ(z) ≥ 0.5 exactly when z ≥ 0, so the straight line 1 + 3x₁ − 2x₂ = 0 splits the plane. σ(z) is "
            "always above 0.",
            {"discretize": True},
        ),
        Step(
            "Double the weights",
            "Now **w1 = 6, w2 = −4, b = 2**: the lecture's weights doubled, and the colours are back on.",
            "What happened to the accuracy?",
            ("It went up", "It stayed exactly the same", "It went down"),
            "It stayed exactly the same",
            "z doubled everywhere, so z = 0 on the same points: every point keeps its class. Only the probabilities "
            "(and the cost J) changed — they got sharper.",
            {"w1": 6.0, "w2": -4.0, "b": 2.0, "discretize": False},
        ),
        Step(
            "Fit it by gradient descent",
            "In section 3 press **▶ Play** and watch the line turn from your sliders (grey, dotted) towards the best "
            "one.",
            "Where does gradient descent end up?",
            ("On scikit-learn's line", "Back where the sliders were", "It never settles"),
            "On scikit-learn's line",
            "Both minimise the same cross-entropy, and it is convex: one minimum, and both find it.",
            {"w1": 3.0, "w2": -2.0, "b": 1.0},
        ),
        Step(
            "Too big a step",
            "Section 3 now fits **linear regression** with learning rate **α = 30**. Press **▶ Play**.",
            "What happens?",
            ("It converges faster", "The loss explodes and training stops", "Nothing changes"),
            "The loss explodes and training stops",
            "Each step overshoots the bottom of the bowl by more than it gains; the page rewinds to the last good "
            "step and asks for a smaller α.",
            {"model": "linear", "fit_lr": 30.0},
        ),
        Step(
            "Where one neuron fails",
            "The data are now the lecture's **quadrants**: class 1 where x₁·x₂ > 0. Look at section 5.",
            "What is the best accuracy one neuron reaches here?",
            ("About 50%", "About 75%", "100%"),
            "About 50%",
            "No straight line separates opposite quadrants, so the best line does no better than a coin flip. "
            "Hidden layers fix that — the next page.",
            {"data": "xor", "model": "logistic", "fit_lr": 3.0},
        ),
    ],
    "gradient_descent": [
        Step(
            "The lecture's exercise",
            "Section 1 runs the lecture's exercise: f(x) = x², x₀ = 9, α = 0.1, three steps. Read the table.",
            "What is x₃?",
            ("7.2", "5.76", "4.608", "3.6864"),
            "4.608",
            "f′(x) = 2x, so each step multiplies x by 1 − 0.1 · 2 = 0.8: 9 → 7.2 → 5.76 → 4.608.",
        ),
        Step(
            "A bigger step",
            "Now **α = 0.9**, for 20 steps.",
            "What does x do?",
            ("Creeps down slowly", "Jumps from side to side, closer each time", "Runs away"),
            "Jumps from side to side, closer each time",
            "Each step multiplies x by 1 − 0.9 · 2 = −0.8: the sign flips, the size shrinks. The cost wiggles down.",
            {"lr": 0.9, "steps": 20},
        ),
        Step(
            "Set the learning rate to 1.1",
            "Now **α = 1.1**.",
            "What happens, and why?",
            ("It converges faster", "It diverges: each step overshoots by more", "It stops at x = 0 at once"),
            "It diverges: each step overshoots by more",
            "Each step multiplies x by 1 − 1.1 · 2 = −1.2: it flips sides and grows by 20%. For f = x², any "
            "α > 2 / f″ = 1 diverges.",
            {"lr": 1.1},
        ),
        Step(
            "A tiny step",
            "Now **α = 0.01**, for 60 steps.",
            "After 60 steps, where is x?",
            ("Close to 0", "Still above 2.5", "Below 0"),
            "Still above 2.5",
            "Each step multiplies x by 0.98, and 9 · 0.98⁶⁰ ≈ 2.68: too small a rate crawls.",
            {"lr": 0.01, "steps": 60},
        ),
        Step(
            "A saddle",
            "Section 3 now walks **a saddle**, starting almost on the ridge (θ₁ = 0.01). Compare the five optimizers.",
            "What does plain gradient descent do first?",
            ("Rolls straight off", "Slows down near the saddle point, then escapes", "Diverges"),
            "Slows down near the saddle point, then escapes",
            "Near the saddle the gradient is almost zero, so its steps shrink (from 0.2 to under 0.02 here) until the "
            "small sideways push has grown; then it rolls off to a minimum. The table shows how long each optimizer "
            "took.",
            {"gd_land": "saddle", "gd_t0": -2.0, "gd_t1": 0.01, "gd_lr": 0.1, "gd_lra": 0.05},
        ),
        Step(
            "Batch, mini-batch, stochastic",
            "Section 4: 200 records, batch size 40, 5 epochs — the lecture's example.",
            "How many updates does mini-batch gradient descent make?",
            ("5", "25", "200", "1000"),
            "25",
            "200 / 40 = 5 batches per epoch, and 5 epochs × 5 = 25 updates. SGD makes 1,000, batch GD 5.",
        ),
    ],
    "activations": [
        Step(
            "Three S-curves and a hinge",
            "Section 1 overlays the sigmoid, tanh and ReLU, each with its slope g′ dashed.",
            "What is the largest slope the sigmoid ever has?",
            ("0.25", "0.5", "1"),
            "0.25",
            "σ′(z) = σ(z)(1 − σ(z)) peaks at z = 0, where it is 0.5 · 0.5 = 0.25. That small number comes back in "
            "section 4.",
        ),
        Step(
            "Layers without an activation",
            "Section 2: the left network now has **3 hidden layers** and no activation at all.",
            "What boundary can the left network draw?",
            ("Only a straight line", "A circle, with enough layers", "Any curve"),
            "Only a straight line",
            "W₃(W₂(W₁x)) = W x: the trained weights multiply out to one linear layer, logistic regression's line. The "
            "network with an activation bends around the circle.",
            {"act_layers": 3},
        ),
        Step(
            "Two units",
            "Section 3 fits the sine wave with only **N = 2 ReLU units**.",
            "What does the network's curve ŷ look like?",
            ("A smooth sine", "A few straight pieces", "A flat line"),
            "A few straight pieces",
            "Each ReLU unit adds one kink to a straight line, so two units give at most three straight pieces.",
            {"act_layers": 1, "act_units": 2},
        ),
        Step(
            "Thirty-two units",
            "Now **N = 32** units.",
            "What happened to the RMS error?",
            ("It fell a lot", "It stayed about the same", "It grew: too many units"),
            "It fell a lot",
            "More units, more kinks to place: with enough units one hidden layer matches any continuous curve — "
            "universal approximation. (Here the error falls about a hundredfold.)",
            {"act_units": 32},
        ),
        Step(
            "Vanishing gradients",
            "Section 4: a fresh stack of **10 sigmoid layers**. Read the gradient size per layer.",
            "How much of the output layer's gradient reaches layer 1?",
            ("Most of it", "About a tenth", "About a millionth or less"),
            "About a millionth or less",
            "Every layer multiplies by σ′(z) ≤ 0.25, and 0.25¹⁰ ≈ 10⁻⁶: the first layers barely learn.",
        ),
        Step(
            "ReLU, and dead units",
            "Same stack, now **ReLU** with He initial weights and initial bias **b = −1**.",
            "How much gradient reaches layer 1 now?",
            ("More than before", "About a tenth", "None at all"),
            "None at all",
            "A negative bias switches the ReLUs off for every example: dead units have slope 0 and pass no gradient. "
            "Set b back to 0 and about a tenth gets through — far more than the sigmoid's millionth.",
            {"act_deep": "relu", "act_init": "he", "act_bias": -1.0},
        ),
    ],
    "network": [
        Step(
            "Bend the boundary",
            "The playground opens on the circle with two hidden layers of tanh units (4 and 2). Press **▶ Play** and "
            "watch the boundary and each hidden unit's picture.",
            "What does each small square next to a hidden unit show?",
            ("The feature that unit responds to", "The data set", "The loss curve"),
            "The feature that unit responds to",
            "Each hidden unit is a feature detector: its square is its output over the plane. The output layer "
            "combines them into the curved boundary.",
        ),
        Step(
            "The lecture's example",
            "The lecture's set-up: quadrants, 1,000 points, a 70/30 split, **one hidden layer of 5 sigmoid units**. "
            "Press **▶ Play** and watch the test accuracy.",
            "Can one hidden layer separate the quadrants, which one neuron could not?",
            ("Yes: the hidden units build the features it needs", "No: it is still a straight line"),
            "Yes: the hidden units build the features it needs",
            "Each hidden unit draws its own line; the output combines them into a bent boundary around the quadrants.",
            {
                "nn_data": "xor",
                "nn_n": 1000,
                "nn_train": 70,
                "nn_layers": 1,
                "nn_u1": 5,
                "nn_g1": "sigmoid",
                "nn_lr": 0.3,
            },
        ),
        Step(
            "No hidden layer",
            "Now **0 hidden layers**: the network is one neuron again. Press **▶ Play**.",
            "Where does the test accuracy end up?",
            ("Near 50%", "Near 75%", "Near 100%"),
            "Near 50%",
            "One neuron draws one straight line, and no line separates opposite quadrants: a coin flip.",
            {"nn_layers": 0},
        ),
        Step(
            "A feature by hand",
            "Still no hidden layer, but the inputs now include **x1·x2**. Press **▶ Play**.",
            "Can one neuron separate the quadrants now?",
            ("Yes", "No"),
            "Yes",
            "The class is the sign of x₁·x₂: with that input, one straight cut does it. Good features can replace "
            "layers; hidden layers learn such features by themselves.",
            {"nn_x": ["x1", "x2", "x1x2"]},
        ),
        Step(
            "Too big a step",
            "Back to one hidden layer of 5 units on x1 and x2, now with learning rate **α = 10**. Press **▶ Play**.",
            "What happens?",
            ("It trains faster", "The loss jumps around or training stops as diverged", "Nothing changes"),
            "The loss jumps around or training stops as diverged",
            "Each step overshoots the minimum; the page stops a diverging run and offers a smaller α.",
            {"nn_layers": 1, "nn_x": ["x1", "x2"], "nn_lr": 10.0},
        ),
        Step(
            "All-zero start",
            "α is back to 0.3, but every initial weight is **0**. Press **▶ Play** and look at the hidden units.",
            "What do the five hidden units learn?",
            ("Five different features", "All the same thing", "Nothing at all"),
            "All the same thing",
            "With equal weights every unit gets the same gradient, so they stay identical forever: random initial "
            "weights break the symmetry.",
            {"nn_lr": 0.3, "nn_init": "zero"},
        ),
    ],
    "backprop": [
        Step(
            "Forward, then backward",
            "Section 1 follows one example through the lecture's small network. Press **Next ▶** there a few times: "
            "first the forward pass up to the loss J, then the backward pass.",
            "In which order does the backward pass visit the layers?",
            ("From the input to the output", "From the output back to the input", "All at once"),
            "From the output back to the input",
            "Each node's ∂J/∂z needs the one after it: start at the loss and multiply local derivatives backwards.",
        ),
        Step(
            "Paths that meet",
            "Now **two hidden layers**. Section 2 is the ledger of ∂J/∂w(1)11, the first weight.",
            "Two paths lead from J back to w(1)11. How do they combine?",
            ("Their products add up", "Their products multiply", "Only the larger one counts"),
            "Their products add up",
            "The chain rule for several paths sums over them: J depends on w through each path.",
            {"bp_layers": "2"},
        ),
        Step(
            "Three ways to the same number",
            "Section 3 lists every gradient three ways: by hand, by torch autograd and by finite differences.",
            "Why does the finite difference differ from the other two around the 10th digit?",
            ("The hand formula is wrong", "Its step ε brings its own small error", "Autograd rounds"),
            "Its step ε brings its own small error",
            "(J(θ + ε) − J(θ − ε)) / 2ε is only an approximation; hand and autograd agree to about 10⁻¹⁶, rounding.",
            {"bp_layers": "1"},
        ),
        Step(
            "A dead ReLU",
            "The hidden activation is now **ReLU**. Look at the gradients in section 3.",
            "Which gradients are exactly zero?",
            ("Only the output bias", "Everything through hidden unit 2", "None"),
            "Everything through hidden unit 2",
            "Unit 2's z is −0.3 < 0, so ReLU′ = 0 blocks every path through it, and its output 0 multiplies "
            "the gradient of its outgoing weight.",
            {"bp_act": "relu"},
        ),
        Step(
            "Twenty sigmoid layers",
            "Section 6: a chain of **20** single units, every weight w = 1.",
            "How much gradient reaches layer 1 through the sigmoid chain?",
            ("About 0.1", "About 10⁻³", "Less than 10⁻¹²"),
            "Less than 10⁻¹²",
            "Each layer multiplies by w · σ′(z) ≈ 0.22, and 0.22²⁰ ≈ 10⁻¹³: vanishing gradients.",
            {"bp_act": "sigmoid"},
        ),
        Step(
            "Exploding instead",
            "Now every weight is **w = 2**.",
            "What happens to ReLU's gradient at layer 1?",
            ("It vanishes", "It explodes, to about 5 · 10⁵", "It stays 1"),
            "It explodes, to about 5 · 10⁵",
            "ReLU's slope is 1, so only the weights multiply: 2¹⁹ ≈ 524,288. The sigmoid chain still vanishes.",
            {"bp_w": 2.0},
        ),
    ],
    "overfitting": [
        Step(
            "About right",
            "Section 1 fits 15 noisy points of sin(πx) with a network of **2 tanh units** and, for contrast, a "
            "**degree-3** polynomial. Compare the training and validation errors.",
            "Why can the validation error not fall below about σ² = 0.09?",
            ("The model is too small", "No model can predict the noise of new points", "Too few epochs"),
            "No model can predict the noise of new points",
            "The noise ε is new with every point, so even the true curve sin(πx) has validation MSE σ².",
        ),
        Step(
            "Too simple",
            "Section 1: a network with **1 hidden unit** and a **straight line** (degree 1) fit 15 noisy points of "
            "sin(πx).",
            "Training and validation errors are both high. Why?",
            ("The model is too simple to follow the curve", "There are too few points", "It memorised the noise"),
            "The model is too simple to follow the curve",
            "That is underfitting: even on its own training points the model misses the shape.",
            {"of_width": 1, "of_degree": 1},
        ),
        Step(
            "Too flexible",
            "Now **256 hidden units** and a **degree-14** polynomial, on the same 15 points.",
            "Which error is low and which is high?",
            ("Both low", "Training low, validation high", "Training high, validation low"),
            "Training low, validation high",
            "The model passes through the noisy points and wiggles in between: overfitting. The gap between the two "
            "errors shows it.",
            {"of_width": 256, "of_degree": 14},
        ),
        Step(
            "More data",
            "Same flexible models, now with **100 training points**.",
            "What happens to the gap between validation and training error?",
            ("It grows", "It shrinks", "It stays the same"),
            "It shrinks",
            "With many points the noise averages out: the model can no longer pass through every one.",
            {"of_n": 100},
        ),
        Step(
            "Early stopping",
            "Back to 15 points. In section 3 press **▶ Play** and watch the validation loss.",
            "When does early stopping stop?",
            (
                "When the training loss reaches 0",
                "When the validation loss has not improved for 'patience' epochs",
                "After a fixed number of epochs",
            ),
            "When the validation loss has not improved for 'patience' epochs",
            "It keeps the weights of the best validation epoch, before the network started memorising noise.",
            {"of_n": 15},
        ),
        Step(
            "L1 zeroes weights",
            "Section 4: the **L1** penalty with **log₁₀ λ = 0** (λ = 1) on 20 features, 4 of which matter.",
            "What does L1 do to the weights of the noise features?",
            ("Makes them small but non-zero", "Sets them to exactly 0", "Makes them larger"),
            "Sets them to exactly 0",
            "The soft threshold zeroes every small weight: L1 selects features. Switch to L2 and they only shrink.",
            {"of_pen": "L1", "of_lam": 0.0},
        ),
        Step(
            "Grid or random search",
            "Section 6: a budget of **9 trials**, as a 3 × 3 grid or 9 random cells.",
            "How many different learning rates does each try?",
            ("Both 9", "Grid 3, random up to 9", "Grid 9, random 3"),
            "Grid 3, random up to 9",
            "A grid repeats each value across the other axis; random search tries a new value every trial, so it "
            "explores the hyperparameter that matters more.",
        ),
    ],
    "dropout": [
        Step(
            "A thinned network per step",
            "Section 1 shows training step 1: grey units are dropped, with their edges. Press **next ▶** there.",
            "In plain SGD, how much does a weight on a dropped unit's edge change at that step?",
            ("Not at all", "Half as much", "Twice as much"),
            "Not at all",
            "Backpropagation runs through the thinned network only: an edge that was not used gets Δw = 0 exactly.",
        ),
        Step(
            "Two conventions",
            "Keep probability **p = 0.8** in both hidden layers. Read the PyTorch line under the rates.",
            "Which PyTorch call is keep p = 0.8?",
            ("nn.Dropout(p=0.8)", "nn.Dropout(p=0.2)", "nn.Dropout(p=1.25)"),
            "nn.Dropout(p=0.2)",
            "The lecture's p keeps a unit; PyTorch's p drops it: p_PyTorch = 1 − p_lecture.",
            {"do_p1": 0.8, "do_p2": 0.8},
        ),
        Step(
            "Why divide by p",
            "Section 2 averages **10,000** masks for six activations.",
            "What does the mean of r·a/p come out as?",
            ("a itself, up to sampling error", "p · a", "a / p"),
            "a itself, up to sampling error",
            "E[r·a/p] = p · a/p + (1 − p) · 0 = a: dividing by p keeps each unit's expected output, so test time "
            "needs no change.",
            {"do_masks": 10000},
        ),
        Step(
            "Train mode and eval mode",
            "Section 3 feeds one point through the trained net many times.",
            "In train mode, does the same input give the same ŷ every time?",
            ("Yes", "No: each pass draws fresh masks"),
            "No: each pass draws fresh masks",
            "Train mode samples a new thinned network per pass; eval mode uses the whole net and answers the same "
            "every time.",
        ),
        Step(
            "Twin nets",
            "Section 4 trains two nets from the same weights on 30 noisy points; only dropout differs. Press "
            "**▶ Play**.",
            "Which net usually ends with the lower test loss?",
            ("The plain net", "The dropout net"),
            "The dropout net",
            "Dropout costs training fit, but the plain net becomes confidently wrong on new points. (Usually, not on "
            "every seed.)",
            {"do_p1": 0.7, "do_p2": 0.7},
        ),
        Step(
            "An ensemble",
            "Section 5 averages **K = 200** passes with dropout left on: Monte-Carlo dropout.",
            "Where do the passes disagree most?",
            ("Far from the data", "Along the decision boundary", "Nowhere: they agree"),
            "Along the decision boundary",
            "Near the boundary the thinned networks vote for different classes, so the spread is largest there: the "
            "net is unsure.",
            {"do_k": 200},
        ),
    ],
    "autoencoder": [
        Step(
            "Codes without labels",
            "Section 2 plots the 2-number code of each of the 1,797 images, coloured by its digit.",
            "The labels were never used in training. Why do images of the same digit cluster?",
            (
                "Similar images need similar codes to be rebuilt well",
                "The colours were used after all",
                "By chance",
            ),
            "Similar images need similar codes to be rebuilt well",
            "The decoder must rebuild each image from its code, so images that look alike end up near each other.",
        ),
        Step(
            "Decode anywhere",
            "Section 3 decodes the point **z = (2, −1)**. Move it, or click the map.",
            "What does the decoder draw where no image landed?",
            ("Noise", "Still something digit-like: a blend of its neighbours", "Nothing"),
            "Still something digit-like: a blend of its neighbours",
            "The decoder is a smooth function of z, so points between clusters decode to in-between shapes.",
            {"ae_z1": 2.0, "ae_z2": -1.0},
        ),
        Step(
            "A walk between digits",
            "Section 4 walks from image #3 to image #8 through the code, and fades the pixels for comparison.",
            "How do the two walks differ in the middle?",
            (
                "They are the same",
                "The code walk stays digit-like; the fade shows two digits on top of each other",
                "The fade looks more like a digit",
            ),
            "The code walk stays digit-like; the fade shows two digits on top of each other",
            "Mixing codes and decoding stays on what the decoder learned to draw; mixing pixels does not.",
            {"ae_from": 3, "ae_to": 8},
        ),
        Step(
            "A linear autoencoder",
            "The activation is now **Identity**: the whole autoencoder is linear. It trains at once; let it finish, "
            "then compare with PCA in section 5.",
            "What is the best a linear autoencoder can do?",
            ("Beat PCA clearly", "Match PCA", "Never reach PCA"),
            "Match PCA",
            "PCA is the best linear code of size k; a trained linear autoencoder reaches the same error. Non-linear "
            "layers can beat it.",
            {"ae_act": "identity"},
        ),
        Step(
            "Few labels",
            "Back to tanh. Section 6 has only **20 labelled images**.",
            "Why can the autoencoder's codes help a classifier with so few labels?",
            (
                "The encoder learned the digits' shapes from all the images, without labels",
                "It saw the labels during training",
                "Codes are always better than pixels",
            ),
            "The encoder learned the digits' shapes from all the images, without labels",
            "Unlabelled images are plentiful: the encoder turns them into a compact feature extractor, and a few "
            "labels then suffice for a simple classifier on top.",
            {"ae_act": "tanh", "ae_labels": 20},
        ),
    ],
}
