"""How sinir asks the C library for memory: keep freed arrays for the next training step.

A training step allocates the same temporaries every time (activations, im2col columns, gradients),
frees them, and allocates them again in the next step. With glibc's default settings (Linux), an
array above a threshold (128 KiB at start, raised on the fly up to the largest array freed so far)
comes from ``mmap`` and goes back to the kernel when freed, and free memory at the top of the heap
above twice that threshold is handed back too. Either way the next step gets fresh pages from the
kernel, which zeroes each 4 KiB page on its first touch: a *page fault*. For LeNet-5 that was
270,000 page faults an epoch of 94 steps, and the same code ran twice as fast or twice as slow
depending on which arrays the process had happened to free before (a large one raises the threshold).

So at import, on glibc, sinir sets the two thresholds once (``mallopt``, see ``man mallopt``):

- ``M_MMAP_THRESHOLD`` = 32 MiB, the largest value glibc accepts and the ceiling of its own
  dynamic threshold: arrays up to 32 MiB come from the heap and are reused;
- ``M_TRIM_THRESHOLD`` = 256 MiB: up to that much freed memory at the top of the heap is kept for
  reuse instead of returned to the kernel.

Arrays above 32 MiB (VGG-16's activations at 224x224) still come from ``mmap``. The cost is that
a process may keep up to 256 MiB of freed memory; peak memory does not grow. PyTorch users get the
same effect from ``LD_PRELOAD=libjemalloc.so``; sinir needs nothing beyond the C library.
Set ``SINIR_MALLOC=system`` before importing sinir to keep the C library's defaults.

>>> import sinir
>>> sinir.allocator.tuned          # True on Linux with glibc
True
"""
import ctypes
import os
import platform

M_TRIM_THRESHOLD = -1      # glibc's mallopt parameter numbers (malloc.h)
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20
TRIM_THRESHOLD = 256 * 2**20

tuned = False


def keep_freed_memory(mmap_threshold=MMAP_THRESHOLD, trim_threshold=TRIM_THRESHOLD):
    """Set glibc's malloc thresholds (above); returns True if it did, False on another C library
    or when the environment says ``SINIR_MALLOC=system``."""
    global tuned
    if os.environ.get("SINIR_MALLOC", "").lower() == "system" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    # mallopt returns 1 on success, 0 for a value glibc refuses
    tuned = bool(libc.mallopt(M_MMAP_THRESHOLD, mmap_threshold)) and bool(libc.mallopt(M_TRIM_THRESHOLD,
                                                                                          trim_threshold))
    return tuned


keep_freed_memory()
