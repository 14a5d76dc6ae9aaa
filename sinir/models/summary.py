"""A table of a model's layers: output shape and parameters of each, then the totals."""
import numpy as np

from .. import nn
from ..grad_mode import no_grad
from ..tensor import Tensor


def _multiply_adds(module, output):
    """Multiply-adds one layer performs for the output it produced."""
    if isinstance(module, nn.Conv2d):
        kh, kw = module.kernel_size
        return output.numel() * (module.in_channels // module.groups) * kh * kw
    if isinstance(module, nn.Linear):
        return output.numel() * module.in_features
    return 0


def summarize(model, input_shape, dtype=np.float32):
    """Run one zero input of ``input_shape`` (C, H, W or features, no batch axis) through the model
    and return (rows, totals): rows of (name, layer type, output shape, parameters)."""
    rows, handles, totals = [], [], {"activations": 0, "multiply_adds": 0}
    leaves = [(name, m) for name, m in model.named_modules() if not m._modules]

    def record(name):
        def hook(module, inputs, output):
            if isinstance(output, Tensor):
                parameters = sum(p.numel() for p in module.parameters(recurse=False))
                rows.append((name, type(module).__name__, output.shape, parameters))
                totals["activations"] += output.numel() * output.element_size()
                totals["multiply_adds"] += _multiply_adds(module, output)
        return hook

    for name, module in leaves:
        handles.append(module.register_forward_hook(record(name)))
    was_training = model.training
    try:
        model.eval()
        with no_grad():
            model(Tensor(np.zeros((1,) + tuple(input_shape), dtype=dtype)))
    finally:
        model.train(was_training)
        for handle in handles:
            handle.remove()
    parameters = list(model.parameters())
    totals["parameters"] = sum(p.numel() for p in parameters)
    totals["trainable"] = sum(p.numel() for p in parameters if p.requires_grad)
    totals["parameter_bytes"] = sum(p.numel() * p.element_size() for p in parameters)
    return rows, totals


def summary(model, input_shape):
    """The summary as text: every layer with its output shape and parameter count, then totals,
    parameter memory, activation memory and multiply-adds for one input.

    >>> print(summary(lenet5(), (1, 28, 28)))
    """
    rows, totals = summarize(model, input_shape)
    header = ("Layer", "Type", "Output shape", "Parameters")
    table = [header] + [(name, kind, str((-1,) + tuple(shape[1:])), f"{count:,}") for name, kind, shape, count in rows]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    line = "-" * (sum(widths) + 6)

    def format_row(row):
        return "  ".join(cell.ljust(w) if i < 3 else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths)))

    lines = [line, format_row(header), line] + [format_row(row) for row in table[1:]] + [line]
    lines += [f"Total parameters:      {totals['parameters']:,}",
              f"Trainable parameters:  {totals['trainable']:,}",
              f"Parameter memory:      {totals['parameter_bytes'] / 2 ** 20:.2f} MiB",
              f"Activation memory:     {totals['activations'] / 2 ** 20:.2f} MiB (one input, forward)",
              f"Multiply-adds:         {totals['multiply_adds']:,} (one input)"]
    return "\n".join(lines)
