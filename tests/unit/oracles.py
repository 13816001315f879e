"""Independent oracles shared by the tests: the playground's cost written with torch's own losses."""

import torch


def torch_cost(task: str, W, b, activations, X, y, reg: str = "none", lam: float = 0.0) -> torch.Tensor:
    """J for weights W and biases b from torch's losses, for autograd to differentiate.

    `activations` holds one function per hidden layer; the output layer is linear and its head is in the loss.
    """
    A = X
    for layer, (w, bias) in enumerate(zip(W, b, strict=True)):
        z = A @ w + bias
        A = activations[layer](z) if layer < len(W) - 1 else z
    if task == "binary":
        loss = torch.nn.functional.binary_cross_entropy_with_logits(A[:, 0], y)
    elif task == "multiclass":
        loss = torch.nn.functional.cross_entropy(A, y)
    else:
        loss = torch.nn.functional.mse_loss(A[:, 0], y)
    if reg == "L1":
        loss = loss + lam * sum(w.abs().sum() for w in W)
    elif reg == "L2":
        loss = loss + lam * sum((w * w).sum() for w in W)
    return loss
