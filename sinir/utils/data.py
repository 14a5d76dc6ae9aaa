"""The same names as ``sinir.data`` under PyTorch's path, ``torch.utils.data``.

>>> from sinir.utils.data import DataLoader, TensorDataset
"""
from ..data import *  # noqa: F401,F403

