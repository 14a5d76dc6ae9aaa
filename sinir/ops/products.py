"""Products of tensors beyond ``@``: batched matrix products, the outer product and einsum.

Shapes and dtypes are checked once, in ``sinir/tensor_functions.py``.
"""
from types import SimpleNamespace

import numpy as np

from ..autograd import Function


class Bmm(Function):
    """y[b] = a[b] @ c[b] for each b of a batch: (B, n, m) times (B, m, p) gives (B, n, p)."""
    grad_fn_name = "BmmBackward0"

    def forward(self, a, c):
        self.a, self.c = a, c
        return a @ c

    def backward(self, grad):
        # dE/da = dE/dy . c^T,  dE/dc = a^T . dE/dy   (for each b of the batch)
        return grad @ self.c.transpose(0, 2, 1), self.a.transpose(0, 2, 1) @ grad

    def backward_graph(self, grad, inputs, output):
        a, c = inputs
        return grad @ c.transpose(1, 2), a.transpose(1, 2) @ grad


class Outer(Function):
    """y[i][j] = a[i] * c[j] for vectors a (n,) and c (m,): an (n, m) matrix."""
    grad_fn_name = "OuterBackward0"

    def forward(self, a, c):
        self.a, self.c = a, c
        return np.outer(a, c)

    def backward(self, grad):
        # dE/da_i = sum_j dE/dy_ij c_j,  dE/dc_j = sum_i dE/dy_ij a_i
        return grad @ self.c, self.a @ grad

    def backward_graph(self, grad, inputs, output):
        a, c = inputs
        return grad @ c, a @ grad


class Einsum(Function):
    """y = einsum(equation, *operands): the sum, over the letters that are not in the output, of
    the product of the operands' elements (NumPy's and PyTorch's equations are the same).

    **Its gradient is an einsum too.** y_ik = sum over j of a_ij b_jk (``ij,jk->ik``) has
    dE/da_ij = sum over k of dE/dy_ik b_jk: the einsum ``ik,jk->ij`` of the gradient with the
    other operands, giving operand i's letters. Two details: a letter that only operand i has
    (summed away, as j in ``ij->i``) does not change the gradient along it, so the gradient is
    broadcast along it; a letter repeated in one operand (the diagonal ``ii->i``, the trace
    ``ii->``) means the gradient lands on that diagonal only, zeros elsewhere.

    ``parse_equation`` has turned the equation into one string of letters per operand and one for
    the output (``...`` became letters of its own), and ``sizes`` gives each letter's length. An
    operand of size 1 along a letter is broadcast (and its gradient summed back over the copies).
    """
    grad_fn_name = "EinsumBackward0"
    saved_inputs = None

    def __init__(self, inputs, output, sizes):
        self.inputs_letters, self.output_letters, self.sizes = inputs, output, sizes

    def _full(self, letters, operand):
        return np.broadcast_to(operand, [self.sizes[c] for c in letters])

    def forward(self, *operands):
        self.operands = operands
        full = [self._full(letters, o) for letters, o in zip(self.inputs_letters, operands)]
        return np.einsum(",".join(self.inputs_letters) + "->" + self.output_letters, *full)

    def backward(self, grad):
        # dE/d(operand i) = einsum of dE/dy with the other operands, to operand i's letters
        gradients = []
        for i, needed in enumerate(self.needs_input_grad):
            if not needed:
                gradients.append(None)
                continue
            plan = self._plan(i)
            others = [grad] + [self._full(self.inputs_letters[j], self.operands[j]) for j in plan.others]
            g = np.einsum(plan.equation, *others)
            g = np.broadcast_to(g.reshape(plan.kept_shape), plan.unique_shape)
            if plan.diagonal is not None:
                diagonal = np.zeros(plan.shape, dtype=grad.dtype)
                diagonal[plan.diagonal] = g
                g = diagonal
            gradients.append(g.sum(axis=plan.stretched, keepdims=True) if plan.stretched else np.array(g))
        return tuple(gradients)

    def backward_graph(self, grad, inputs, output):
        from .shape import IndexGrad
        gradients = []
        for i, t in enumerate(inputs):
            if not t.requires_grad:
                gradients.append(None)
                continue
            plan = self._plan(i)
            letters = [self.output_letters] + [self.inputs_letters[j] for j in plan.others]
            g = Einsum(letters, plan.equation.split("->")[1], self.sizes)(grad, *[inputs[j] for j in plan.others])
            g = g.reshape(plan.kept_shape).expand(plan.unique_shape)
            if plan.diagonal is not None:
                g = IndexGrad(plan.diagonal, plan.shape)(g)
            gradients.append(g.sum(dim=plan.stretched, keepdim=True) if plan.stretched else g)
        return tuple(gradients)

    def _plan(self, i):
        """The steps of operand i's gradient, the same for arrays (backward) and tensors
        (backward_graph): the einsum, the broadcast along letters only this operand has, the
        diagonal of a repeated letter, the sum over axes where the operand was broadcast."""
        letters = self.inputs_letters[i]
        others = [j for j in range(len(self.inputs_letters)) if j != i]
        known = set(self.output_letters + "".join(self.inputs_letters[j] for j in others))
        unique = "".join(dict.fromkeys(letters))                          # each letter once, in order
        computed = "".join(c for c in unique if c in known)
        diagonal = None
        if len(unique) < len(letters):                                    # a repeated letter: a diagonal
            diagonal = tuple(np.arange(self.sizes[c]).reshape([-1 if u == c else 1 for u in unique])
                             for c in letters)
        shape = tuple(self.sizes[c] for c in letters)
        operand_shape = self.operands[i].shape
        return SimpleNamespace(
            others=others,
            equation=",".join([self.output_letters] + [self.inputs_letters[j] for j in others]) + "->" + computed,
            kept_shape=tuple(self.sizes[c] if c in known else 1 for c in unique),
            unique_shape=tuple(self.sizes[c] for c in unique),
            diagonal=diagonal, shape=shape,
            stretched=tuple(k for k, (m, n) in enumerate(zip(shape, operand_shape)) if n == 1 and m != 1))


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def parse_equation(equation, shapes):
    """('ij,jk->ik', [(2, 3), (3, 4)]) -> (['ij', 'jk'], 'ik', {'i': 2, 'j': 3, 'k': 4}).

    Spaces are dropped; ``...`` becomes letters the equation does not use (the same ones in
    every operand, aligned from the right, as broadcasting aligns axes); without ``->`` the
    output is ``...`` followed by the letters used once, in alphabetical order (PyTorch's rule).
    Raises ValueError for an equation that does not fit the operands."""
    equation = equation.replace(" ", "")
    left, arrow, right = equation.partition("->")
    inputs = left.split(",")
    if len(inputs) != len(shapes):
        raise ValueError(f"einsum: the equation '{equation}' names {len(inputs)} operand(s), {len(shapes)} given")
    for part in inputs + ([right] if arrow else []):
        if any(c not in _LETTERS for c in part.replace("...", "", 1)):
            raise ValueError(f"einsum: '{part}' in '{equation}' may hold only letters and one '...'")
    spare = [c for c in _LETTERS if c not in equation]
    ellipsis_ndim = 0
    for i, (part, shape) in enumerate(zip(inputs, shapes)):
        named = len(part.replace("...", ""))
        if named > len(shape) or ("..." not in part and named != len(shape)):
            raise ValueError(f"einsum: '{part}' in '{equation}' names {named} dimension(s) for operand {i}, "
                             f"which has {len(shape)} (shape {tuple(shape)})")
        if "..." in part:
            ellipsis_ndim = max(ellipsis_ndim, len(shape) - named)
    broadcast = "".join(spare[:ellipsis_ndim])
    expanded = [part.replace("...", broadcast[len(broadcast) - (len(shape) - len(part) + 3):])
                if "..." in part else part for part, shape in zip(inputs, shapes)]
    sizes = {}
    for i, (letters, shape) in enumerate(zip(expanded, shapes)):
        for c, n in zip(letters, shape):
            if sizes.get(c, 1) != 1 and n != 1 and sizes[c] != n:
                raise ValueError(f"einsum: letter '{c}' of '{equation}' has size {n} in operand {i} (shape "
                                 f"{tuple(shape)}) but {sizes[c]} before; sizes must be equal or 1")
            sizes[c] = n if sizes.get(c, 1) == 1 else sizes[c]
    if arrow:
        output = right.replace("...", broadcast)
        for c in output:
            if output.count(c) > 1 or c not in sizes:
                raise ValueError(f"einsum: output letter '{c}' of '{equation}' must appear once, and in an operand")
    else:
        used = "".join(inputs).replace("...", "")
        output = broadcast + "".join(sorted(c for c in set(used) if used.count(c) == 1))
    return expanded, output, sizes
