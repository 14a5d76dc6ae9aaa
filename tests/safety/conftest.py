"""Helpers for the safety tests: a small fake MNIST folder, and running Python in a child process
with a memory limit (resource.setrlimit) and a time limit."""
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from sinir.datasets import write_idx

ROOT = Path(__file__).resolve().parents[2]


def write_fake_mnist(folder, train=300, test=100, seed=0):
    """IDX files of random 'digits' (uint8 images, labels 0-9) in ``folder``; returns it."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for prefix, n in (("train", train), ("t10k", test)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = rng.integers(0, 60, (n, 28, 28)).astype(np.uint8)
        for digit in range(10):        # a learnable bright bar whose place tells the class
            images[labels == digit, 2 + 2 * digit:4 + 2 * digit, 4:24] = 255
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", labels)
    return folder


@pytest.fixture
def fake_mnist(tmp_path):
    return write_fake_mnist(tmp_path / "data")


def run_limited(code, memory_mb=200, seconds=20, cwd=None):
    """Run ``code`` in a fresh Python whose address space may grow by at most ``memory_mb`` after
    its imports (RLIMIT_AS); returns the CompletedProcess (stdout, stderr as text)."""
    prelude = textwrap.dedent(f"""
        import resource, sys
        sys.path.insert(0, {str(ROOT)!r})
        import numpy, PIL.Image, safetensors.numpy, sinir, sinir.images, sinir.checkpoint, sinir.experiment
        def _grow_limit(extra_mb):
            with open("/proc/self/status") as status:
                size = next(int(line.split()[1]) for line in status if line.startswith("VmSize:")) * 1024
            resource.setrlimit(resource.RLIMIT_AS, (size + extra_mb * 2 ** 20, resource.RLIM_INFINITY))
        _grow_limit({memory_mb})
    """)
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=seconds, cwd=cwd, env=env)
