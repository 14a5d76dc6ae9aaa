"""The mnist_rnn example under sinir: an LSTM reading MNIST rows reaches 95% test accuracy in one
epoch (the full 60,000 training images, batch 32, Adadelta lr 1.0; 10,000 test images)."""
import contextlib

import pytest

import mnist_rnn            # tests/programs/mnist_rnn.py (pytest puts this folder on the path)
from tests.conftest import mnist_dir


def _one_blas_thread():
    """Small matrices: one BLAS thread is faster, and much faster on a busy machine."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(1)


def test_lstm_reaches_95_percent_in_one_epoch():
    folder = mnist_dir()
    if folder is None:
        pytest.skip("the full MNIST is not available ($SINIR_DATA)")
    with _one_blas_thread():
        accuracies = mnist_rnn.main(["--epochs", "1", "--batch-size", "32", "--lr", "1.0", "--log-interval", "100000",
                                     "--data", str(folder)])
    assert accuracies[0] >= 0.95


def test_dry_run_on_a_few_images():
    folder = mnist_dir()
    if folder is None:
        pytest.skip("the full MNIST is not available ($SINIR_DATA)")
    accuracies = mnist_rnn.main(["--epochs", "1", "--dry-run", "--train-size", "256", "--test-size", "100",
                                 "--data", str(folder)])
    assert 0 <= accuracies[0] <= 1
