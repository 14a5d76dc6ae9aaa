"""The time_sequence_prediction example runs under sinir and, from the same initial weights,
gives PyTorch's losses (float64, deterministic: L-BFGS without randomness)."""
from pathlib import Path

import numpy as np
import pytest

PROGRAM = Path(__file__).with_name("time_sequence_prediction.py")
SINIR_IMPORTS = "import sinir as torch\nimport sinir.nn as nn\nimport sinir.optim as optim\n"
TORCH_IMPORTS = "import torch\nimport torch.nn as nn\nimport torch.optim as optim\n"


def load_program(with_torch=False):
    """The program's namespace, imports as written (sinir) or swapped back to PyTorch's."""
    source = PROGRAM.read_text()
    assert SINIR_IMPORTS in source
    if with_torch:
        source = source.replace(SINIR_IMPORTS, TORCH_IMPORTS)
    namespace = {"__name__": "time_sequence_prediction"}
    exec(compile(source, str(PROGRAM), "exec"), namespace)
    return namespace


def test_losses_go_down_and_equal_pytorchs():
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)          # tiny matrices: more threads only spin
    try:
        _compare_with_pytorch(torch)
    finally:
        torch.set_num_threads(threads)


def _compare_with_pytorch(torch):
    ours = load_program()
    theirs = load_program(with_torch=True)
    initial = {k: np.array(np.asarray(v)) for k, v in ours["Sequence"]().double().state_dict().items()}
    sizes = dict(steps=2, length=30, waves=6, future=10, quiet=True)
    ours_train, ours_test = ours["main"](initial_state=initial, **sizes)
    theirs_train, theirs_test = theirs["main"](initial_state={k: torch.tensor(v) for k, v in initial.items()},
                                               **sizes)
    assert [len(s) for s in ours_train] == [len(s) for s in theirs_train]    # as many closure calls
    np.testing.assert_allclose(np.concatenate(ours_train), np.concatenate(theirs_train), rtol=1e-6)
    np.testing.assert_allclose(ours_test, theirs_test, rtol=1e-6)
    assert ours_train[-1][-1] < ours_train[0][0] / 10                        # the loss goes down
