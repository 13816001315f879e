"""Files a teacher can take away and bring back: a page's settings as JSON, a training history as CSV, weights.

Pure: bytes in, checked values out. Nothing here evaluates or unpickles what a user uploads: JSON goes through
json.loads, weights through safetensors (a flat table of named tensors, no code).
"""

from __future__ import annotations

import csv
import io
import json
import math

import torch
from safetensors import SafetensorError
from safetensors.torch import load as st_load
from safetensors.torch import save as st_save

APP = "deep-learning-explained"
VERSION = 1
CONFIG_MAX_BYTES = 32_000  # a page has at most a few dozen parameters: anything bigger is not ours
WEIGHTS_MAX_BYTES = 2_000_000  # the largest model (the autoencoder) is about 0.1 MB
MAX_VALUE_CHARS = 200  # the longest legitimate value is a typed f(x) of at most 200 characters
MAX_LIST = 20
SKIP = {"opt"}  # optimizer moments belong to the run, not to the model


class ExportError(ValueError):
    """A file that cannot be used, with the reason in words a student understands."""


Params = dict[str, "str | list[str]"]


def encode_config(page: str, params: Params) -> bytes:
    """The page's settings as a small, readable JSON document (values written as in the URL)."""
    doc = {"app": APP, "version": VERSION, "page": page, "params": dict(sorted(params.items()))}
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode()


def _as_text(key: str, value) -> str:
    """One value as the URL would write it; numbers and booleans typed by hand are accepted too."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ExportError(f"`{key}` must be a finite number.")
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        if len(value) > MAX_VALUE_CHARS:
            raise ExportError(f"`{key}` is longer than {MAX_VALUE_CHARS} characters.")
        return value
    raise ExportError(f"`{key}` must be text, a number, true/false or a list of those.")


def _reject_constant(name: str):
    raise ExportError(f"The file contains {name}, which is not a number JSON allows.")


def decode_config(raw: bytes, page: str, allowed: set[str]) -> Params:
    """Check an uploaded settings file for this page; return its parameters as URL text, or raise ExportError."""
    if len(raw) > CONFIG_MAX_BYTES:
        raise ExportError(f"The file is {len(raw):,} bytes; a settings file is at most {CONFIG_MAX_BYTES:,}.")
    try:
        doc = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ExportError("The file is not text (UTF-8); choose a .json file saved by this app.") from None
    except json.JSONDecodeError as err:
        raise ExportError(f"The file is not valid JSON: {err.msg} (line {err.lineno}).") from None
    except RecursionError:
        raise ExportError("The file nests too deeply to be a settings file.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("params"), dict):
        raise ExportError('A settings file is a JSON object with a "params" object inside.')
    extra = set(doc) - {"app", "version", "page", "params"}
    if extra:
        raise ExportError(f"Unknown field(s) in the file: {', '.join(sorted(map(str, extra)))}.")
    if doc.get("version", VERSION) != VERSION:
        raise ExportError(f"The file is version {doc['version']!r}; this app reads version {VERSION}.")
    if doc.get("page", page) != page:
        raise ExportError(f"These settings are for the page “{doc['page']}”; open that page and load them there.")
    unknown = sorted(k for k in doc["params"] if k not in allowed)
    if unknown:
        raise ExportError(f"This page has no setting called {', '.join(f'`{k}`' for k in unknown[:10])}.")
    out: Params = {}
    for key, value in doc["params"].items():
        if isinstance(value, list):
            if len(value) > MAX_LIST:
                raise ExportError(f"`{key}` lists more than {MAX_LIST} values.")
            out[key] = [_as_text(key, v) for v in value]
        else:
            out[key] = _as_text(key, value)
    return out


def history_csv(losses: list[float], history: list[dict]) -> str:
    """One row per training step: the step, its loss and whatever metrics the model recorded."""
    names = sorted({k for row in history for k in row})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["step", "loss", *names])
    for i, loss in enumerate(losses):
        row = history[i] if i < len(history) else {}
        writer.writerow([i + 1, repr(float(loss)), *(repr(float(row[k])) if k in row else "" for k in names)])
    return out.getvalue()


def _walk(node, path: tuple[str, ...]):
    """(path, leaf) for every leaf of a nested dict/list/tuple state."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, (*path, str(k)))
    elif isinstance(node, (list, tuple)):
        for i, v in enumerate(node):
            yield from _walk(v, (*path, str(i)))
    else:
        yield path, node


def weight_tensors(state: dict) -> dict[str, torch.Tensor]:
    """The learnable numbers of a trainer's state(): floating-point tensors, named by their path, optimizer aside."""
    return {
        ".".join(path): leaf
        for path, leaf in _walk(state, ())
        if isinstance(leaf, torch.Tensor) and leaf.is_floating_point() and not SKIP & set(path)
    }


def encode_weights(state: dict, meta: dict[str, str]) -> bytes:
    """The weights of a trainer's state() as a safetensors file (plain named tensors, no code)."""
    tensors = {k: v.detach().cpu().contiguous() for k, v in weight_tensors(state).items()}
    return st_save(tensors, metadata={"app": APP, **meta})


def decode_weights(raw: bytes, state: dict) -> dict[str, torch.Tensor]:
    """Check an uploaded weights file against the live model's state(): same names, shapes, finite values."""
    if len(raw) > WEIGHTS_MAX_BYTES:
        raise ExportError(f"The file is {len(raw):,} bytes; this app's weights are at most {WEIGHTS_MAX_BYTES:,}.")
    try:
        got = st_load(bytes(raw))
    except (SafetensorError, ValueError, RuntimeError, OverflowError) as err:
        raise ExportError(f"The file is not a safetensors weights file ({str(err)[:80]}).") from None
    want = weight_tensors(state)
    if set(got) != set(want):
        missing, extra = sorted(set(want) - set(got)), sorted(set(got) - set(want))
        raise ExportError(
            "These weights belong to a different network: "
            + "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing[:6])}" if missing else "",
                    f"unexpected {', '.join(extra[:6])}" if extra else "",
                )
                if part
            )
            + ". Set the page's controls as they were when you saved them (load its settings file first)."
        )
    out = {}
    for name, live in want.items():
        t = got[name]
        if tuple(t.shape) != tuple(live.shape):
            raise ExportError(
                f"`{name}` has shape {tuple(t.shape)} in the file but {tuple(live.shape)} here: "
                "a different architecture. Load the settings the weights were trained with first."
            )
        if not t.is_floating_point() or not bool(torch.isfinite(t).all()):
            raise ExportError(f"`{name}` holds values that are not finite numbers.")
        out[name] = t.to(dtype=live.dtype, device=live.device)
    return out


def restore(state: dict, weights: dict[str, torch.Tensor]) -> dict:
    """A copy of `state` with the named tensors replaced (everything else, e.g. random streams, kept)."""

    def put(node, path: tuple[str, ...]):
        if isinstance(node, dict):
            return {k: put(v, (*path, str(k))) for k, v in node.items()}
        if isinstance(node, (list, tuple)):
            return type(node)(put(v, (*path, str(i))) for i, v in enumerate(node))
        return weights.get(".".join(path), node)

    return put(state, ())
