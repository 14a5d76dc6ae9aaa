"""Timing two libraries fairly on a small shared machine: alternately, each as if it ran alone."""
import statistics
import time

# Each library is timed as if it ran alone, threads warm. OpenBLAS's worker threads spin for about
# 0.1 s after their last product before they sleep (PyTorch's OpenMP threads for well under 1 ms):
# timed right after sinir, PyTorch would share the second core with a spinning thread, and timed
# after a pause, either library would pay for waking its sleeping threads. So before each timed
# call: a pause of SETTLE seconds (the other library's threads go to sleep), then, for calls
# shorter than WARM_UP seconds, one untimed call (this library's threads wake up).
SETTLE = 0.2
WARM_UP = 0.5


def alternate(ours, theirs, repeats, warmup=1):
    """Median seconds of ``ours()`` and ``theirs()``, called alternately (see SETTLE)."""
    first = [timed(ours), timed(theirs)]
    for _ in range(warmup - 1):
        ours()
        theirs()
    times = ([], [])
    for _ in range(repeats):
        for fn, bucket, seconds in ((ours, times[0], first[0]), (theirs, times[1], first[1])):
            time.sleep(SETTLE)
            if seconds < WARM_UP:
                fn()
            start = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def repeated(fn, times):
    """``fn`` called ``times`` times in a row: for calls too short to time one by one."""
    return lambda: [fn() for _ in range(times)]


def calls_per_timing(fn, seconds=0.05):
    """How many calls of ``fn`` in a row take about ``seconds``. Timing one short call alone
    measures the BLAS threads waking up after the other library ran (about 4 ms on these
    machines, the same for both libraries), not the call."""
    fn()
    fn()
    return max(1, round(seconds / max(timed(fn), 1e-6)))
