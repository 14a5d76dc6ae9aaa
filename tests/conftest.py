import os
from pathlib import Path

import numpy as np
import pytest

import sinir


@pytest.fixture(autouse=True)
def _seed():
    """Every test starts from the same random state."""
    sinir.manual_seed(0)
    yield


def tensor64(data, requires_grad=True):
    return sinir.Tensor(np.asarray(data, dtype=np.float64), requires_grad=requires_grad, dtype=np.float64)


def random64(*shape, requires_grad=True, low=None, seed=None):
    rng = np.random.default_rng(seed if seed is not None else sum(shape) + 7)
    data = rng.standard_normal(shape)
    if low is not None:
        data = np.abs(data) + low
    return tensor64(data, requires_grad)


def mnist_dir():
    """Where the full MNIST lies: $SINIR_DATA, else ../shared/data/mnist beside the checkout."""
    candidates = [os.environ.get("SINIR_DATA"), Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "train-images-idx3-ubyte.gz").exists():
            return Path(candidate)
    return None


def _strict_skips():
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_runtest_makereport(item, call):
    """Under CI a skip is a failure: CI installs every extra and program a test could skip without.

    Locally a test may skip for a real reason (no full MNIST, no Chromium); in CI that reason would
    hide a test that never ran, so the report is turned into a failure that names the reason.
    """
    if not _strict_skips() or call.excinfo is None:
        return None
    if call.excinfo.errisinstance(pytest.skip.Exception):
        from _pytest.reports import TestReport
        report = TestReport.from_item_and_call(item, call)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where nothing should be missing: {call.excinfo.value}"
        return report
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """The same rule for a whole file skipped while it is collected (a module-level importorskip)."""
    outcome = yield
    report = outcome.get_result()
    if _strict_skips() and report.skipped:
        report.outcome = "failed"
        report.longrepr = f"{collector.nodeid} skipped under CI, where nothing should be missing: {report.longrepr}"
