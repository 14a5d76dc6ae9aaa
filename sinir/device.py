"""Where tensors live: sinir computes with NumPy, on the CPU.

``sinir.device("cpu")``, ``tensor.to("cpu")``, ``tensor.device`` and ``module.to(device)`` work as in
PyTorch, so programs written for PyTorch run unchanged. A device such as ``"cuda"`` can be named
(``sinir.device("cuda")``, as PyTorch allows) but not used: moving a tensor there raises an error
saying that sinir runs on the CPU here.

>>> device = sinir.device("cuda" if sinir.cuda.is_available() else "cpu")
>>> x = x.to(device)
"""
import numpy as np

KNOWN_TYPES = ("cpu", "cuda", "mps", "xpu", "meta", "hip", "xla", "npu", "hpu", "mtia", "privateuseone")


class device:
    """A device name and index, as ``torch.device``: ``device("cpu")``, ``device("cuda", 0)``,
    ``device("cuda:0")``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise ValueError(f"device: expected a name such as 'cpu', got {type!r}")
        name = type.strip().lower()
        if ":" in name:
            name, _, number = name.partition(":")
            if not number.isdigit() or index is not None:
                raise ValueError(f"device: invalid device string {type!r}")
            index = int(number)
        if name not in KNOWN_TYPES:
            raise ValueError(f"device: expected one of {', '.join(KNOWN_TYPES[:4])}, ... as the device type, "
                             f"got {type!r}")
        self.type, self.index = name, index

    def __repr__(self):
        return f"device(type='{self.type}')" if self.index is None else \
            f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = device(other)
            except ValueError:
                return False
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))


CPU = device("cpu")


def check_device(requested, what="to"):
    """The CPU device for ``requested`` (a name, a device or None); any other device is an error."""
    if requested is None:
        return CPU
    requested = requested if isinstance(requested, device) else device(requested)
    if requested.type != "cpu":
        raise RuntimeError(f"{what}: sinir runs on the CPU here (NumPy); there is no '{requested.type}' "
                           f"backend, so tensors cannot move to {str(requested)!r}. Use 'cpu' (for "
                           f"example device = sinir.device('cuda' if sinir.cuda.is_available() else 'cpu'))")
    return CPU


def _is_dtype(value):
    if value is None or isinstance(value, (str, device)):
        return False
    try:
        np.dtype(value)
    except TypeError:
        return False
    return True


def parse_to_args(*args, **kwargs):
    """Read ``.to(...)``'s arguments as PyTorch does: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``,
    ``to(tensor)`` and the keywords ``device``, ``dtype``, ``non_blocking``, ``copy``.
    Returns (dtype or None, copy); an unusable device raises (see ``check_device``)."""
    from .tensor import Tensor
    dtype, where = kwargs.pop("dtype", None), kwargs.pop("device", None)
    copy = bool(kwargs.pop("copy", False))
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"to(): unexpected keyword arguments {sorted(kwargs)}")
    for arg in args:
        if isinstance(arg, Tensor):
            dtype, where = arg.dtype, arg.device
        elif isinstance(arg, (str, device)):
            where = arg
        elif isinstance(arg, bool):
            continue  # non_blocking / copy given by position
        elif _is_dtype(arg):
            dtype = arg
        else:
            raise TypeError(f"to(): expected a device, a dtype or a tensor, got {arg!r}")
    check_device(where)
    return (None if dtype is None else np.dtype(dtype)), copy
