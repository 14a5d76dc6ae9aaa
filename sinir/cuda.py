"""``sinir.cuda``: PyTorch's GPU questions, answered for sinir, which computes on the CPU.

>>> sinir.cuda.is_available()
False
"""


def is_available():
    """False: sinir has no GPU backend here, so ``device('cuda')`` cannot be used."""
    return False


def device_count():
    """0: no GPU that sinir can use."""
    return 0


def manual_seed(seed):
    """Accepted and ignored (there is no GPU generator); ``sinir.manual_seed`` seeds everything."""


def manual_seed_all(seed):
    """Accepted and ignored, as ``manual_seed``."""
