"""A whitelist parser for formulas a student types, such as x**4 - 3*x**2 + x, evaluated with torch so autograd
can differentiate them.

Python's `ast` module only turns the text into a tree; the tree is walked here node by node and every node that is
not a number, an allowed variable, an arithmetic operator or an allowed function is refused. Nothing the user typed
is ever passed to eval, exec or compile-and-run, and no Python object other than torch tensors is ever reached.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

MAX_CHARS = 200  # a formula longer than this is refused before parsing
MAX_NODES = 120  # bounds the work per evaluation (one tensor operation per node) and the walkers' recursion
FUNCTIONS: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "sin": torch.sin,
    "cos": torch.cos,
    "tan": torch.tan,
    "exp": torch.exp,
    "log": torch.log,
    "sqrt": torch.sqrt,
    "abs": torch.abs,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
}
CONSTANTS = {"pi": math.pi, "e": math.e}
BINARY: dict[type, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    ast.Add: torch.add,
    ast.Sub: torch.sub,
    ast.Mult: torch.mul,
    ast.Div: torch.div,
    ast.Pow: torch.pow,
}
WHY_UNDEFINED = {
    "log": "log needs a positive number",
    "sqrt": "sqrt needs a number ≥ 0",
    "tan": "tan is infinite at odd multiples of π/2",
}


class ExpressionError(ValueError):
    """A formula that is not allowed or cannot be evaluated; the message says why in words."""


def allowed(variables: tuple[str, ...] = ("x",)) -> str:
    """What a formula may contain, in one sentence for the page."""
    names = " and ".join(variables)
    return (
        f"Use numbers, {names}, + − * / ** (or ^) and parentheses, the constants pi and e, and the functions "
        + ", ".join(FUNCTIONS)
        + f" — for example x**4 - 3*x**2 + x or sin(3*x) + 0.1*x^2. At most {MAX_CHARS} characters."
    )


@dataclass(frozen=True)
class Expression:
    text: str  # the formula as the student typed it
    tree: ast.expr  # checked: only whitelisted nodes
    variables: tuple[str, ...]

    def __call__(self, *values: torch.Tensor) -> torch.Tensor:
        """Evaluate elementwise on tensors (one per variable)."""
        return _walk(self.tree, dict(zip(self.variables, values, strict=True)), None)

    def undefined_at(self, *values: float) -> str | None:
        """Why the formula has no finite value at this point (the first part that fails), or None if it has one."""
        env = {k: torch.tensor(float(v), dtype=torch.float64) for k, v in zip(self.variables, values, strict=True)}
        failures: list[str] = []
        with torch.no_grad():
            _walk(self.tree, env, failures)
        return failures[0] if failures else None


def parse(text: str, variables: tuple[str, ...] = ("x",)) -> Expression:
    """Check a typed formula against the whitelist; raise ExpressionError with a message saying what is wrong."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("The formula is empty. " + allowed(variables))
    if len(text) > MAX_CHARS:
        raise ExpressionError(f"The formula is {len(text)} characters long; at most {MAX_CHARS} are allowed.")
    source = text.strip().replace("^", "**")  # the lecture writes x^2; Python's ^ would be XOR
    try:
        tree = ast.parse(source, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError) as err:
        raise ExpressionError(f"That is not a formula ({_syntax_hint(source, err)}). " + allowed(variables)) from None
    count = sum(1 for _ in ast.walk(tree))
    if count > MAX_NODES:
        raise ExpressionError(f"The formula has {count} parts; at most {MAX_NODES} are allowed.")
    _check(tree, variables)
    return Expression(text, tree, variables)


def _syntax_hint(source: str, err: Exception) -> str:
    if any(word in source.split() for word in ("import", "lambda", "def", "class", "for", "while")):
        return "only a single formula is allowed, not Python statements"
    if isinstance(err, SyntaxError) and err.msg:
        return err.msg.split(" (")[0].rstrip(".") + ("; write 3*x, not 3x" if "invalid decimal" in err.msg else "")
    return "it could not be read"


def _check(node: ast.AST, variables: tuple[str, ...]) -> None:
    """Refuse every node that is not on the whitelist, with a message naming what was found."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"{node.value!r} is not a number. " + allowed(variables))
        if not math.isfinite(_as_float(node.value)):
            raise ExpressionError(f"The number {ast.unparse(node)[:20]} is too large.")
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ExpressionError(f"Names starting with an underscore, like {node.id[:30]}, are not allowed.")
        if node.id not in variables and node.id not in CONSTANTS:
            hint = " (it is a function: write it with parentheses)" if node.id in FUNCTIONS else ""
            raise ExpressionError(f"Unknown name {node.id[:30]!r}{hint}. " + allowed(variables))
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in BINARY:
            raise ExpressionError(f"The operator in {ast.unparse(node)[:40]!r} is not allowed. " + allowed(variables))
        _check(node.left, variables)
        _check(node.right, variables)
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.UAdd | ast.USub):
            raise ExpressionError(f"{ast.unparse(node)[:40]!r} is not allowed. " + allowed(variables))
        _check(node.operand, variables)
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            what = ast.unparse(node.func)[:30]
            raise ExpressionError(f"{what!r} is not an allowed function. " + allowed(variables))
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise ExpressionError(f"{name} takes exactly one argument, like {name}(x).")
        _check(node.args[0], variables)
    else:
        what = {
            ast.Attribute: "Attribute access (a.b)",
            ast.Lambda: "A lambda",
            ast.Subscript: "Indexing (a[i])",
            ast.Compare: "A comparison",
            ast.BoolOp: "and / or",
            ast.IfExp: "if / else",
            ast.NamedExpr: "An assignment (:=)",
            ast.ListComp: "A comprehension",
            ast.SetComp: "A comprehension",
            ast.DictComp: "A comprehension",
            ast.GeneratorExp: "A comprehension",
            ast.JoinedStr: "An f-string",
        }.get(type(node), f"This kind of expression ({type(node).__name__})")
        raise ExpressionError(f"{what} is not allowed in a formula. " + allowed(variables))


def _as_float(value: int | float) -> float:
    try:
        return float(value)
    except OverflowError:
        return math.inf


def _walk(node: ast.AST, env: dict[str, torch.Tensor], failures: list[str] | None) -> torch.Tensor:
    """Evaluate a checked tree with torch; with `failures`, record the first part whose value stops being finite."""
    like = next(iter(env.values()))
    if isinstance(node, ast.Constant):
        return torch.full_like(like, float(node.value))  # a float: 9**9**9 is then inf, never a huge Python int
    if isinstance(node, ast.Name):
        return env[node.id] if node.id in env else torch.full_like(like, CONSTANTS[node.id])
    if isinstance(node, ast.UnaryOp):
        out = _walk(node.operand, env, failures)
        out = -out if isinstance(node.op, ast.USub) else out
    elif isinstance(node, ast.BinOp):
        out = BINARY[type(node.op)](_walk(node.left, env, failures), _walk(node.right, env, failures))
    else:
        out = FUNCTIONS[node.func.id](_walk(node.args[0], env, failures))
    if failures is not None and not failures and not bool(torch.isfinite(out).all()):
        failures.append(_describe(node))
    return out


def _describe(node: ast.AST) -> str:
    text = ast.unparse(node)[:60]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return f"{text} divides by zero"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        return f"{text} is too large, or a negative number to a fractional power"
    if isinstance(node, ast.Call) and node.func.id in WHY_UNDEFINED:
        return f"{text} is undefined there ({WHY_UNDEFINED[node.func.id]})"
    return f"{text} is too large or undefined there"
