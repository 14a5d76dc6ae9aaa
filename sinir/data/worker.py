"""DataLoader worker processes: each takes lists of indices from its own queue, loads and collates
those samples, and puts the batch on a shared result queue. An exception in a worker travels
back as its traceback text and is raised again in the main process.
"""
import multiprocessing
import queue
import random
import traceback

from .. import random as sinir_random


class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker: id, num_workers, seed, dataset."""

    def __init__(self, id, num_workers, seed, dataset):
        self.id, self.num_workers, self.seed, self.dataset = id, num_workers, seed, dataset

    def __repr__(self):
        return f"WorkerInfo(id={self.id}, num_workers={self.num_workers}, seed={self.seed})"


_worker_info = None


def get_worker_info():
    """Inside a DataLoader worker, its WorkerInfo; in the main process, None.

    >>> def worker_init_fn(worker_id):
    ...     info = get_worker_info()      # e.g. split an iterable's work by info.id
    """
    return _worker_info


class WorkerError:
    """An exception caught in a worker: its type, message and traceback text (picklable)."""

    def __init__(self, worker_id, error):
        self.worker_id = worker_id
        self.type, self.text = type(error), traceback.format_exc()
        self.message = str(error)

    def reraise(self):
        message = f"Caught {self.type.__name__} in DataLoader worker process {self.worker_id}.\n" \
                  f"Original Traceback (most recent call last):\n{self.text}"
        try:
            error = self.type(message)
        except Exception:                   # an exception class that wants other arguments
            error = RuntimeError(message)
        raise error


def worker_loop(fetch, index_queue, result_queue, done_event, worker_init_fn, worker_id, num_workers, seed,
                dataset):
    """The body of a worker process. Tasks are (epoch, batch number, indices); None stops it."""
    global _worker_info
    _worker_info = WorkerInfo(worker_id, num_workers, seed, dataset)
    # each worker its own random streams, as PyTorch: seed = base seed + worker id
    sinir_random.manual_seed(seed)
    random.seed(seed)
    try:
        if worker_init_fn is not None:
            worker_init_fn(worker_id)
    except Exception as error:          # reported with the first task's answer
        init_error = WorkerError(worker_id, error)
    else:
        init_error = None
    while not done_event.is_set():
        try:
            task = index_queue.get(timeout=0.1)
        except queue.Empty:
            continue
        if task is None:
            break
        epoch, number, indices = task
        if init_error is not None:
            result_queue.put((epoch, number, None, init_error))
            continue
        try:
            batch = fetch(indices)
        except Exception as error:
            result_queue.put((epoch, number, None, WorkerError(worker_id, error)))
        else:
            result_queue.put((epoch, number, batch, None))
    result_queue.cancel_join_thread()


def context(multiprocessing_context=None):
    """fork where the system has it (fast start, the dataset inherited), else the default."""
    if multiprocessing_context is not None:
        return (multiprocessing.get_context(multiprocessing_context)
                if isinstance(multiprocessing_context, str) else multiprocessing_context)
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def base_seed(generator=None):
    """A fresh seed for a loader's workers, drawn from the loader's generator or sinir's."""
    generator = generator if generator is not None else sinir_random.default_generator()
    return int(generator.integers(0, 2 ** 31 - 1 - 1024))


