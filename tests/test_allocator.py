"""sinir.allocator: freed arrays are kept for the next step instead of page-faulted back in."""
import os
import platform
import subprocess
import sys

import pytest

# Rounds of ten 1 MiB arrays allocated, then all freed: a training step's temporaries in miniature.
# With glibc's defaults the freed megabytes at the top of the heap exceed its trim threshold and go
# back to the kernel, so every round faults them in again (about 2,560 pages of 4 KiB).
ROUNDS = """
import resource, numpy as np, sinir
faults = []
for _ in range(4):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    arrays = [np.ones(262144, np.float32) for _ in range(10)]
    del arrays
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(sinir.allocator.tuned, faults[-1])
"""

glibc = pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="the thresholds are glibc's (Linux)")


def last_round(malloc):
    env = {**os.environ, "SINIR_MALLOC": malloc}
    out = subprocess.run([sys.executable, "-c", ROUNDS], env=env, capture_output=True, text=True, check=True)
    tuned, faults = out.stdout.split()
    return tuned == "True", int(faults)


@glibc
def test_freed_arrays_are_reused_without_page_faults():
    tuned, faults = last_round("")
    assert tuned
    assert faults < 200                 # ten megabytes reused: no fresh pages


@glibc
def test_system_keeps_the_c_librarys_defaults():
    tuned, faults = last_round("system")
    assert not tuned
    assert faults > 2000                # what the tuning removes: each round faults its 10 MiB back in
