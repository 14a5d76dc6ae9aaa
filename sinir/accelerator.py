"""``sinir.accelerator``: PyTorch's device-neutral accelerator questions (sinir runs on the CPU).

>>> device = sinir.accelerator.current_accelerator() if sinir.accelerator.is_available() else sinir.device("cpu")
"""


def is_available():
    """False: no accelerator backend in sinir here."""
    return False


def device_count():
    return 0


def current_accelerator(check_available=False):
    """None, as PyTorch returns when there is no accelerator."""
    return None
