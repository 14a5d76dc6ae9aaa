"""Switching gradient recording on and off: ``with sinir.no_grad(): ...``."""
import functools
import threading


class _GradModeState(threading.local):
    """Whether operations record a graph, one switch per thread, as in PyTorch.

    A ``no_grad()`` block in one thread (a web server answering a request) leaves another thread
    (a training run) recording; every new thread starts with recording on.
    """
    enabled = True
    inference = False


_GradMode = _GradModeState()


def is_grad_enabled():
    """True while operations record a graph for backward."""
    return _GradMode.enabled


class set_grad_enabled:
    """Context manager (and decorator) that turns graph recording on or off.

    >>> with set_grad_enabled(False):
    ...     y = x * 2          # y has no graph
    """

    def __init__(self, mode):
        self.mode = bool(mode)
        self.previous = None

    def __enter__(self):
        self.previous = _GradMode.enabled
        _GradMode.enabled = self.mode
        return self

    def __exit__(self, *exc_info):
        _GradMode.enabled = self.previous
        return False

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with self.__class__(self.mode):
                return function(*args, **kwargs)
        return wrapper


class no_grad(set_grad_enabled):
    """Build no graph inside the block: for evaluation and parameter updates.

    >>> with sinir.no_grad():
    ...     predictions = model(x)
    """

    def __init__(self):
        super().__init__(False)

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with no_grad():
                return function(*args, **kwargs)
        return wrapper


class enable_grad(set_grad_enabled):
    """Record a graph inside the block, even within ``no_grad``."""

    def __init__(self):
        super().__init__(True)

    def __call__(self, function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with enable_grad():
                return function(*args, **kwargs)
        return wrapper


class inference_mode(set_grad_enabled):
    """Like ``no_grad`` (PyTorch's faster variant; in sinir the two are the same).

    >>> with sinir.inference_mode():
    ...     predictions = model(x)
    """

    def __init__(self, mode=True):
        super().__init__(not mode)
        self.inference = bool(mode)

    def __enter__(self):
        self.previous_inference = _GradMode.inference
        _GradMode.inference = self.inference
        return super().__enter__()

    def __exit__(self, *exc_info):
        _GradMode.inference = self.previous_inference
        return super().__exit__(*exc_info)

    def __call__(self, function=None):
        if function is None:
            return self
        mode = self.inference

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return function(*args, **kwargs)
        return wrapper


def is_inference_mode_enabled():
    return _GradMode.inference
