"""Embedding: a learned vector for each of ``num_embeddings`` indices (words, items, ...)."""
import numpy as np

from . import functional as F
from . import init
from .module import Module, layer_dtype, parameter_of


class Embedding(Module):
    """A lookup table: index i -> row i of ``weight`` (num_embeddings, embedding_dim).
    Input: integer indices of any shape; output: (*input.shape, embedding_dim).

    ``padding_idx``: that row starts at zero and gets no gradient (a "nothing here" token).

    >>> embed = Embedding(10, 3, padding_idx=0)
    >>> embed(sinir.tensor([[1, 2, 0]])).shape
    (1, 3, 3)
    """

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0,
                 scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False, device=None, dtype=None):
        super().__init__()
        for name, value in (("num_embeddings", num_embeddings), ("embedding_dim", embedding_dim)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"Embedding: {name} must be a positive integer, got {value!r}")
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise ValueError(f"Embedding: padding_idx must lie in [-{num_embeddings}, {num_embeddings}), "
                                 f"got {padding_idx}")
            padding_idx %= num_embeddings
        if max_norm is not None or scale_grad_by_freq or sparse:
            raise ValueError("Embedding: max_norm, scale_grad_by_freq and sparse are not supported")
        self.num_embeddings, self.embedding_dim = int(num_embeddings), int(embedding_dim)
        self.padding_idx = padding_idx
        if _weight is None:
            self.weight = parameter_of(np.empty((num_embeddings, embedding_dim),
                                                dtype=layer_dtype("Embedding", device, dtype)))
            self.reset_parameters()
        else:
            weight = np.array(_weight, copy=True)
            if weight.shape != (num_embeddings, embedding_dim):
                raise ValueError(f"Embedding: _weight must have shape ({num_embeddings}, {embedding_dim}), "
                                 f"got {tuple(weight.shape)}")
            self.weight = parameter_of(weight)
        self.weight.requires_grad_(not _freeze)

    def reset_parameters(self):
        """PyTorch's default: N(0, 1), the padding row zero."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            np.asarray(self.weight)[self.padding_idx] = 0

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None):
        """An Embedding holding the rows of ``embeddings`` (2-D), frozen unless ``freeze=False``."""
        weight = np.asarray(embeddings)
        if weight.ndim != 2:
            raise ValueError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape {tuple(weight.shape)}")
        return cls(weight.shape[0], weight.shape[1], padding_idx, _weight=weight, _freeze=freeze)

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx)

    def extra_repr(self):
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text + (f", padding_idx={self.padding_idx}" if self.padding_idx is not None else "")
