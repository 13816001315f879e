"""The bad-input matrix: every URL parameter of every page (the frame's seed and present included), the formula and
points text boxes, and the CSV uploads get hostile and broken values. Each is refused with a visible message, the
control falls back to its default, and nothing raises."""

import functools
import io
import pickle
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core import data, expression
from pages.course import available
from tests.conftest import APP

PAGES = ["pages/home.py"] + [t.file for topics in available().values() for t in topics]
KINDS = ("slider", "select_slider", "selectbox", "radio", "toggle", "checkbox", "number_input", "button_group")
# Not a valid value for any bound control: empty, a word, NaN, a number too big for any int (Streamlit's own int(inf)
# raised), an integer beyond the ranges, and emoji + HTML + a markdown link (phishing through a shared link). Very
# long values are cut in the warning: test_the_warning_shows_link_text_as_code_not_markdown.
GARBAGE = ["", "abc", "nan", "1e400", "99999999999999999999999", "🙂<b>[x](http://evil.example)</b>"]


def visit(page: str, **params: str) -> AppTest:
    """Open the app straight at `page` with these URL parameters, as a browser following a link does."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    return at.switch_page(page).run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def controls(at: AppTest) -> dict:
    """Every URL-bound control on the page (frame included) by key."""
    return {w.key: w for kind in KINDS for w in getattr(at, kind) if w.key and w.proto.query_param_key}


@functools.cache
def defaults(page: str) -> dict:
    """Each bound control's value when the page opens without parameters."""
    at = visit(page)
    no_exception(at)
    return {key: w.value for key, w in controls(at).items()}


def uploader(at: AppTest, key: str):
    return next(u for u in at.get("file_uploader") if u.key == key)


def warned(at: AppTest, key: str) -> bool:
    return any(f"`{key}=" in w.value and "Using the default" in w.value for w in at.warning)


@pytest.mark.parametrize("raw", GARBAGE, ids=lambda r: repr(r[:12]))
@pytest.mark.parametrize("page", PAGES)
def test_every_url_parameter_refuses_garbage(page, raw):
    expected = defaults(page)
    assert {"seed", "present"} <= set(expected)  # the frame's own parameters, on every page
    at = visit(page, **dict.fromkeys(expected, raw))
    no_exception(at)
    shown = controls(at)
    for key, value in expected.items():
        assert warned(at, key), key
        assert shown[key].value == value, key


def test_the_warning_shows_link_text_as_code_not_markdown():
    at = visit("pages/home.py", seed="[x](http://evil.example)")
    assert any("`seed=[x](http://evil.example)`" in w.value for w in at.warning)
    long = visit("pages/home.py", seed="9" * 5000)
    assert all(len(w.value) < 300 for w in long.warning)


@pytest.mark.parametrize("raw", ["99", "-1", "2.5", "inf", "nope"])
def test_hidden_layer_controls_refuse_garbage(raw):
    """Units and activations of layers 3-8 exist only once there are that many layers."""
    keys = [f"nn_u{i}" for i in range(1, 9)] + [f"nn_g{i}" for i in range(1, 9)]
    at = visit("pages/network.py", nn_layers="8", **dict.fromkeys(keys, raw))
    no_exception(at)
    assert at.number_input(key="nn_layers").value == 8
    for key in keys:
        assert warned(at, key), key


FORMULAS = [
    ("", "empty"),
    ("x" * (expression.MAX_CHARS + 1), ""),  # the box keeps the first 200 characters, then the parser refuses them
    ("9" * 5000, "grew beyond"),
    ("__import__('os').system('touch /tmp/explainer_pwned')", ""),
    ("().__class__.__bases__[0].__subclasses__()", ""),
    ("open('/etc/passwd').read()", ""),
    ("lambda: 0", ""),
    ("x if x else 1", ""),
    ("[x for x in range(10**9)]", ""),
    ("x.real", ""),
    ("9**9**9**9", ""),
    ("10**400", ""),
    ("exp(exp(exp(x)))", ""),
    ("1/0", ""),
    ("log(-1)", ""),
    ("sqrt(x) * nan", ""),
    ("sin(", ""),
    ("x; import os", ""),
    ("'a' * 10**9", ""),
    ("x\x00", ""),
]


@pytest.mark.parametrize("text, fragment", FORMULAS, ids=lambda v: repr(v[:16]))
def test_gradient_descent_formula_refuses_hostile_text(text, fragment):
    marker = Path("/tmp/explainer_pwned")
    marker.unlink(missing_ok=True)
    at = visit("pages/gradient_descent.py", f=text)
    no_exception(at)
    errors = [e.value for e in at.error if "That formula cannot be used" in e.value]
    assert errors and fragment in errors[0], [e.value for e in at.error]
    assert "Showing f(x) = x^2 instead" in errors[0]
    assert not marker.exists()


def test_gradient_descent_formula_from_a_link_is_used():
    """The matrix above can fail: a good formula in the link is drawn without a message."""
    at = visit("pages/gradient_descent.py", f="x^4 - 3*x^2 + x")
    no_exception(at)
    assert not [e for e in at.error if "That formula" in e.value] and at.text_input(key="f").value == "x^4 - 3*x^2 + x"


@pytest.mark.parametrize(
    "text", ["", "1", "a, b", "nan, 1", "inf, 0", "1e400, 2", ",".join(["1"] * 16), "6, 0", "[x](http://e.x), 1"]
)
def test_your_points_refuse_bad_text(text):
    at = visit("pages/activations.py", act_target="Your points", act_knots=text)
    no_exception(at)
    notes = [w.value for w in at.warning if "Those points cannot be used" in w.value]
    assert notes, [w.value for w in at.warning]
    assert "](" not in notes[0].replace("\\]", "")


GOOD_CSV = "x1,x2,label\n" + "\n".join(f"{i % 7},{i % 5},{i % 2}" for i in range(40))
UPLOADS = [
    (b"", "The file is empty"),
    (b"   \n\n", "The file is empty"),
    (b"\x00\xff\xfe" * 300, ""),
    (pickle.dumps({"a": 1}), ""),
    (b"x1,x2,label\n" + b"1,2,0\n" * 400_000, "limit is 2.0 MB"),
    (("x1,x2,label\n" + "1,2,0\n2,1,1\n" * (data.MAX_ROWS // 2 + 1)).encode(), "more than 5,000 rows"),
    (b"x1,x2,label\n", "no data rows"),
    (b"x1\n1\n2\n", "Expected 3 columns"),
    (b"a,b,c,d\n1,2,3,4\n", "Expected 3 columns"),
    (b"x1,x2,label\n1,abc,0\n2,3,1\n", "must be numeric"),
    (b"x1,x2,label\nnan,1,0\ninf,2,1\n", "No complete rows"),
    (b"x1,x2,label\n1e300,1,0\n2,2,1\n", "within"),
    (b"x1,x2,label\n1,1,0\n2,2,0\n", "Only one class"),
    (b"x1,x2,label\n1,1,a\n2,2,b\n3,3,c\n", "exactly two classes"),
    ("x1,x2,🙂\n1,1,🙂\n2,2,[x](http://e.x)\n3,3,é\n".encode(), "exactly two classes"),
    ("x1,x2,label\n1,1,0\n2,2,1\n".encode("utf-16"), ""),
]


@pytest.mark.parametrize(
    "page, choice, key", [("pages/neuron.py", "data", "csv"), ("pages/network.py", "nn_data", "nn_csv")]
)
def test_uploads_refuse_bad_files_with_a_message(page, choice, key):
    at = visit(page, **{choice: "Upload a CSV"})
    no_exception(at)
    for content, fragment in UPLOADS:
        uploader(at, key).set_value(("data.csv", content, "text/csv"))
        at.run()
        no_exception(at)
        errors = [e.value for e in at.error if "That file cannot be used" in e.value]
        assert errors and fragment in errors[0], (content[:40], [e.value for e in at.error])
    uploader(at, key).set_value(("data.csv", GOOD_CSV.encode(), "text/csv"))
    at.run()
    no_exception(at)
    assert not [e.value for e in at.error if "That file cannot be used" in e.value]


def test_an_uploaded_csv_with_gaps_is_used_with_a_note():
    """Rows with NaN/inf are dropped and said so; the rest trains."""
    rows = np.c_[np.arange(40) % 7, np.arange(40) % 5, np.arange(40) % 2].astype(float)
    rows[3, 0], rows[5, 1] = np.nan, np.inf
    buf = io.StringIO()
    np.savetxt(buf, rows, delimiter=",", header="x1,x2,label", comments="")
    at = visit("pages/neuron.py", data="Upload a CSV")
    uploader(at, "csv").set_value(("gaps.csv", buf.getvalue().encode(), "text/csv")).run()
    no_exception(at)
    assert any("Dropped 2 row(s)" in c.value for c in at.caption)


SETTINGS_FILES = [
    b"",
    b"not json",
    b"{",
    b"[]",
    b"[" * 20_000 + b"]" * 20_000,  # nests past the parser's recursion limit, inside the size cap
    b" " * 40_000,
    pickle.dumps({"params": {"seed": 3}}),
    '{"params": {"seed": 3}}'.encode("utf-16"),
    b'{"params": {"seed": NaN}}',
    b'{"params": {"seed": "inf"}}',
    b'{"params": {"seed": "1e400"}}',
    b'{"params": {"seed": "99999999999999999999999"}}',
    b'{"params": {"w1": "nan"}}',
    b'{"params": {"data": "<script>alert(1)</script>"}}',
    b'{"params": {"__class__": "1"}}',
    b'{"params": {"seed": ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", '
    b'"17", "18", "19", "20", "21"]}}',
    b'{"page": "network", "params": {}}',
    b'{"params": {}, "exec": "import os"}',
]


def test_bad_settings_files_are_refused_with_a_message():
    at = visit("pages/neuron.py")
    for content in SETTINGS_FILES:
        up = next((u for u in at.get("file_uploader") if u.key.startswith("share_cfg_up")), None)
        if up is None:
            pytest.skip("the page has no settings upload")
        up.set_value(("settings.json", content, "application/json")).run()
        no_exception(at)
        assert any("That settings file cannot be used" in e.value for e in at.error), (content[:30], at.error)
        assert at.number_input(key="seed").value == 1


WEIGHT_FILES = [
    b"",
    b"\x00" * 64,
    (2**62).to_bytes(8, "little") + b"{}",  # a header that claims to be huge
    (20).to_bytes(8, "little") + b'{"a": {"dtype": "F32"',
    pickle.dumps({"w": [1.0, 2.0]}),
    b"PK\x03\x04" + b"\x00" * 200,  # the start of a torch.save zip
    b"9" * 2_100_000,
]


def test_bad_weight_files_are_refused_with_a_message():
    at = visit("pages/neuron.py")
    for content in WEIGHT_FILES:
        up = next((u for u in at.get("file_uploader") if "_weights_up_" in u.key), None)
        if up is None:
            pytest.skip("the page has no weights upload")
        up.set_value(("w.safetensors", content, "application/octet-stream")).run()
        no_exception(at)
        assert any("Those weights cannot be used" in e.value for e in at.error), (content[:20], at.error)
