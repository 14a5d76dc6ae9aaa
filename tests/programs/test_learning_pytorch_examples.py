"""'Learning PyTorch with Examples', run unchanged on sinir and on PyTorch, from the same initial
values, in float64: every loss along the way and the final coefficients agree to 1e-6."""
import numpy as np
import pytest
import torch

import sinir

from tests.programs import learning_pytorch_examples as programs

INIT = [0.1, -0.2, 0.05, 0.3]


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """PyTorch's many small operations here are slower with threads fighting over a busy CPU."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _compare(ours, theirs):
    ours_losses, ours_result = ours
    theirs_losses, theirs_result = theirs
    np.testing.assert_allclose(ours_losses, theirs_losses, rtol=1e-6)
    assert ours_losses[-1] < ours_losses[0]                         # it trained
    if isinstance(ours_result, str):
        ours_numbers = [float(w) for w in ours_result.replace("x^", " ").split() if _is_number(w)]
        theirs_numbers = [float(w) for w in theirs_result.replace("x^", " ").split() if _is_number(w)]
        np.testing.assert_allclose(ours_numbers, theirs_numbers, rtol=1e-6, atol=1e-12)
    else:
        np.testing.assert_allclose(ours_result, theirs_result, rtol=1e-6, atol=1e-12)


def _is_number(word):
    try:
        float(word)
        return True
    except ValueError:
        return False


@pytest.mark.parametrize("program", ["tensors", "autograd", "custom_function", "custom_module", "dynamic_graph"])
def test_program_runs_the_same_on_sinir_and_torch(program):
    run = getattr(programs, program)
    _compare(run(sinir, INIT), run(torch, INIT))


@pytest.mark.parametrize("program", ["nn_module", "optim"])
def test_module_programs_run_the_same_from_the_same_state_dict(program):
    run = getattr(programs, program)
    state = {"0.weight": np.array([[0.2, -0.1, 0.05]]), "0.bias": np.array([0.1])}
    ours = run(sinir, {k: sinir.tensor(v) for k, v in state.items()})
    theirs = run(torch, {k: torch.tensor(v) for k, v in state.items()})
    _compare(ours, theirs)
