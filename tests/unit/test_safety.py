"""Safety review as a test: the app's code (app.py, pages/, core/) never evaluates, unpickles or opens what a user
sends, and never renders raw HTML built from anything but its own constants. Read from the syntax tree, so a
comment or a string that mentions eval does not count; the checker is itself tested on code that breaks each rule."""

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

APP_FILES = sorted([ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "core").rglob("*.py")])
RUNS_CODE = {"eval", "exec", "compile", "__import__", "breakpoint", "input"}
UNSAFE_MODULES = {"pickle", "marshal", "shelve", "dill", "cloudpickle", "joblib", "yaml", "subprocess", "ctypes"}
SHELL = {("os", "system"), ("os", "popen"), ("os", "execv"), ("os", "execl"), ("os", "spawnl")}
HTML_SINKS = {"html"}  # st.html, components.html: raw HTML, no sanitizing


def _name(node: ast.AST) -> str:
    """'torch.load' for torch.load, 'st.markdown' for st.markdown, '' for anything not a dotted name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def _kw(call: ast.Call, name: str):
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_true(node) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def _constant_text(node: ast.AST, constants: set[str]) -> bool:
    """A literal string, or a module-level ALL_CAPS name bound to one: text the app wrote, not a user."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    return isinstance(node, ast.Name) and node.id in constants


def problems(source: str, filename: str = "<code>") -> list[str]:
    """Every dangerous call or import in this source, as 'file:line what'."""
    tree = ast.parse(source, filename)
    constants = {
        t.id
        for stmt in tree.body
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str)
        for t in stmt.targets
        if isinstance(t, ast.Name) and t.id.isupper()
    }
    paths = {"pathlib.Path"} | {
        a.asname or a.name
        for n in ast.walk(tree)
        if isinstance(n, ast.ImportFrom) and n.module == "pathlib"
        for a in n.names
    }
    found = []
    for node in ast.walk(tree):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import | ast.ImportFrom):
            mods = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            found += [f"{where} imports {m}" for m in mods if m.split(".")[0] in UNSAFE_MODULES]
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        last = name.rsplit(".", 1)[-1]
        if name in RUNS_CODE:
            found.append(f"{where} calls {name}()")
        if tuple(name.split(".")[-2:]) in SHELL:
            found.append(f"{where} runs a shell: {name}()")
        if name == "torch.load" and not _is_true(_kw(node, "weights_only")):
            found.append(f"{where} torch.load without weights_only=True")
        if last == "load" and name.startswith(("np.", "numpy.")) and _is_true(_kw(node, "allow_pickle")):
            found.append(f"{where} np.load with allow_pickle=True")
        if last in ("read_pickle", "loads") and name.startswith(("pd.", "pandas.", "pickle.")):
            found.append(f"{where} unpickles: {name}()")
        if name == "open":
            found.append(f"{where} opens a file: the app reads no file named at run time")
        if name in paths and "__file__" not in ast.unparse(node):
            found.append(f"{where} builds a path not anchored at __file__")
        raw_html = last in HTML_SINKS or _is_true(_kw(node, "unsafe_allow_html"))
        if raw_html and name.split(".")[0] in ("st", "components", "stc") or _is_true(_kw(node, "unsafe_allow_html")):
            body = node.args[0] if node.args else _kw(node, "body")
            if body is None or not _constant_text(body, constants):
                found.append(f"{where} renders HTML that is not the app's own constant: {ast.unparse(node)[:60]}")
    return found


@pytest.mark.parametrize("path", APP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_dangerous_calls(path: Path):
    assert problems(path.read_text(), str(path.relative_to(ROOT))) == []


def test_the_review_covers_the_app():
    names = {str(p.relative_to(ROOT)) for p in APP_FILES}
    assert {"app.py", "pages/ui.py", "core/expression.py", "core/data.py"} <= names


BAD = {
    "eval(text)": "calls eval",
    "exec(code)": "calls exec",
    "__import__(name)": "calls __import__",
    "import pickle": "imports pickle",
    "from joblib import load": "imports joblib",
    "import subprocess": "imports subprocess",
    "os.system(cmd)": "runs a shell",
    "torch.load(f)": "weights_only",
    "torch.load(f, weights_only=False)": "weights_only",
    "np.load(f, allow_pickle=True)": "allow_pickle",
    "pd.read_pickle(f)": "unpickles",
    "open(name)": "opens a file",
    "from pathlib import Path\nPath(st.query_params['f'])": "not anchored",
    "st.markdown(f'<b>{text}</b>', unsafe_allow_html=True)": "renders HTML",
    "st.html(text)": "renders HTML",
    "st.markdown(text, unsafe_allow_html=True)": "renders HTML",
    "components.html('<p>' + name)": "renders HTML",
}
FINE = [
    "model.eval()",
    "torch.load(f, weights_only=True)",
    "np.load(f)",
    "CSS = '<style></style>'\nst.html(CSS)",
    "st.markdown(f'**{name}**')",
    "from pathlib import Path\nROOT = Path(__file__).parent",
    "Path = namedtuple('Path', 'x')\nPath(1)",
    "re.compile('x')",
]


@pytest.mark.parametrize("code, what", BAD.items())
def test_the_checker_catches_each_dangerous_call(code, what):
    found = problems(code)
    assert found and what in found[0], found


@pytest.mark.parametrize("code", FINE)
def test_the_checker_lets_safe_code_pass(code):
    assert problems(code) == []
