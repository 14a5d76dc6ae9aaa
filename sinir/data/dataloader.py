"""DataLoader: batches of Tensors from a dataset, in the main process or in worker processes.

The course's three ways of training are one switch: ``batch_size=1`` is online learning (one
sample per step), ``batch_size=None`` is full batch (the whole set per step: sinir's meaning,
where PyTorch's would be "no batching"), anything else is mini-batch.
"""
import itertools
import queue
import time

import numpy as np

from . import worker as workers
from .collate import collate_arrays, to_tensors
from .dataset import batch_getter
from .sampler import BatchSampler, RandomSampler, SequentialSampler


class DataLoader:
    """Iterate over a dataset (anything with ``__getitem__`` and ``__len__``) in batches of Tensors.

    ``shuffle`` (a new order each epoch), or any ``sampler`` / ``batch_sampler``; ``collate_fn``
    turns a list of samples into a batch (default_collate stacks them). ``num_workers`` > 0 loads
    batches in that many processes, ``prefetch_factor`` batches ahead each, with ``worker_init_fn``
    called in each; ``persistent_workers`` keeps them between epochs. ``pin_memory`` is accepted
    (there is no GPU memory to pin for). ``seed`` (sinir's) or ``generator`` (a
    numpy.random.Generator) fixes the shuffling; otherwise sinir's generator is used.

    >>> loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True, seed=0, num_workers=2)
    >>> for images, labels in loader:
    ...     ...
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", seed=None):
        if not (hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__")):
            raise ValueError(f"DataLoader: expected a dataset (an object with __getitem__ and __len__), got "
                             f"{type(dataset).__name__} (wrap arrays in TensorDataset)")
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer))
                                       or batch_size < 1):
            raise ValueError(f"DataLoader: batch_size must be a positive integer or None (full batch), "
                             f"got {batch_size!r}")
        if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)) or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be a non-negative integer, got {num_workers!r}")
        if prefetch_factor is not None and (num_workers == 0 or not isinstance(prefetch_factor, int)
                                            or prefetch_factor < 1):
            raise ValueError("DataLoader: prefetch_factor must be a positive integer, and needs num_workers > 0")
        if persistent_workers and num_workers == 0:
            raise ValueError("DataLoader: persistent_workers needs num_workers > 0")
        if not timeout >= 0:
            raise ValueError(f"DataLoader: timeout must be non-negative, got {timeout!r}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler is mutually exclusive with shuffle")
        if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None or drop_last):
            raise ValueError("DataLoader: batch_sampler is mutually exclusive with batch_size, shuffle, sampler "
                             "and drop_last")
        for name, value in (("collate_fn", collate_fn), ("worker_init_fn", worker_init_fn)):
            if value is not None and not callable(value):
                raise ValueError(f"DataLoader: {name} must be callable, got {type(value).__name__}")
        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, bool(drop_last)
        self.shuffle = bool(shuffle)
        self.num_workers, self.prefetch_factor = int(num_workers), prefetch_factor or 2
        self.collate_fn, self.worker_init_fn = collate_fn, worker_init_fn
        self.pin_memory, self.timeout, self.persistent_workers = pin_memory, timeout, bool(persistent_workers)
        self.multiprocessing_context = multiprocessing_context
        if generator is None and seed is not None:
            generator = np.random.Generator(np.random.PCG64(seed))
        self.generator = generator
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        self.sampler = sampler
        if batch_sampler is None:
            batch_sampler = BatchSampler(sampler, self.effective_batch_size, self.drop_last)
        self.batch_sampler = batch_sampler
        self._persistent_iterator = None

    @property
    def effective_batch_size(self):
        return max(len(self.dataset), 1) if self.batch_size is None else self.batch_size

    def __len__(self):
        return len(self.batch_sampler)

    def __iter__(self):
        if self.num_workers == 0:
            return self._single_process_batches()
        if self.persistent_workers:
            if self._persistent_iterator is None:
                self._persistent_iterator = _WorkerIterator(self)
            else:
                self._persistent_iterator.new_epoch()
            return self._persistent_iterator
        return _WorkerIterator(self)

    # ----- loading one batch ------------------------------------------------------------------
    def fetch_arrays(self, indices):
        """The batch at ``indices`` as NumPy arrays (default collation) or as collate_fn returns it."""
        if self.collate_fn is not None:
            return self.collate_fn([self.dataset[i] for i in indices])
        get_batch = batch_getter(self.dataset)
        if get_batch is not None:          # the dataset collates a whole batch in one step
            return list(get_batch(np.asarray(indices, dtype=np.int64)))
        return collate_arrays([self.dataset[i] for i in indices])

    def _single_process_batches(self):
        for indices in self.batch_sampler:
            batch = self.fetch_arrays(indices)
            yield batch if self.collate_fn is not None else to_tensors(batch)

    # ----- saving the shuffling state (resuming a run bit for bit) -----------------------------
    def get_state(self):
        """The shuffling generator's state (None when sinir's global one is used)."""
        return None if self.generator is None else self.generator.bit_generator.state

    def set_state(self, state):
        if state is not None:
            generator = np.random.Generator(np.random.PCG64())
            generator.bit_generator.state = state
            self.generator = generator
            if isinstance(self.sampler, RandomSampler):
                self.sampler.generator = generator

    def __del__(self):
        iterator = self.__dict__.get("_persistent_iterator")
        if iterator is not None:
            iterator.shutdown()


class _WorkerIterator:
    """Batches loaded by worker processes, handed out in the sampler's order.

    Batch k goes to worker k mod num_workers; up to prefetch_factor * num_workers batches are
    asked for ahead. Results that arrive early wait in ``self.waiting``. An error in a worker
    is raised here with the worker's traceback; any end (the last batch, an error, the iterator
    being dropped) stops the workers, unless they are persistent.
    """

    def __init__(self, loader):
        self.loader = loader
        ctx = workers.context(loader.multiprocessing_context)
        self.done = ctx.Event()
        self.results = ctx.Queue()
        self.index_queues, self.processes = [], []
        seed = workers.base_seed(loader.generator)
        fetch = loader.fetch_arrays if loader.collate_fn is None else _CollateFetch(loader)
        for worker_id in range(loader.num_workers):
            index_queue = ctx.Queue()
            index_queue.cancel_join_thread()
            process = ctx.Process(target=workers.worker_loop, daemon=True,
                                  args=(fetch, index_queue, self.results, self.done, loader.worker_init_fn,
                                        worker_id, loader.num_workers, seed + worker_id, loader.dataset))
            process.start()
            self.index_queues.append(index_queue)
            self.processes.append(process)
        self.running = True
        self.epoch = -1
        self.new_epoch()

    def new_epoch(self):
        self.epoch += 1
        self.tasks = iter(enumerate(self.loader.batch_sampler))
        self.sent = self.received = 0
        self.waiting = {}
        self.exhausted = False
        for _ in range(self.loader.prefetch_factor * self.loader.num_workers):
            self._send_next()

    def _send_next(self):
        task = next(self.tasks, None)
        if task is None:
            self.exhausted = True
            return
        number, indices = task
        self.index_queues[number % len(self.index_queues)].put((self.epoch, number, list(indices)))
        self.sent += 1

    def __iter__(self):
        return self

    def __next__(self):
        if not self.running:
            raise StopIteration
        if self.received == self.sent and self.exhausted:
            if not self.loader.persistent_workers:
                self.shutdown()
            raise StopIteration
        try:
            batch = self._wait_for(self.received)
        except BaseException:
            self.shutdown()
            raise
        self.received += 1
        self._send_next()
        return batch if self.loader.collate_fn is not None else to_tensors(batch)

    def _wait_for(self, number):
        started = time.monotonic()
        while number not in self.waiting:
            try:
                epoch, got, batch, error = self.results.get(timeout=0.5)
            except queue.Empty:
                dead = [p for p in self.processes if not p.is_alive()]
                if dead:
                    raise RuntimeError(f"DataLoader worker (pid {dead[0].pid}) exited unexpectedly with exit "
                                       f"code {dead[0].exitcode}") from None
                if self.loader.timeout and time.monotonic() - started > self.loader.timeout:
                    raise RuntimeError(f"DataLoader timed out after {self.loader.timeout} seconds") from None
                continue
            if epoch != self.epoch:       # left over from an epoch that was cut short
                continue
            if error is not None:
                error.reraise()
            self.waiting[got] = batch
        return self.waiting.pop(number)

    def shutdown(self):
        """Stop the workers: ask them to finish, wait a moment, then terminate any left."""
        if not getattr(self, "running", False):
            return
        self.running = False
        self.done.set()
        for index_queue in self.index_queues:
            try:
                index_queue.put(None)
            except (OSError, ValueError):
                pass
        for process in self.processes:
            process.join(timeout=2)
            if process.is_alive():
                process.terminate()
                process.join(timeout=1)
        for q in itertools.chain(self.index_queues, [self.results]):
            q.cancel_join_thread()
            q.close()

    def __del__(self):
        self.shutdown()


class _CollateFetch:
    """A worker's fetch with the loader's collate_fn (picklable, for 'spawn' start methods)."""

    def __init__(self, loader):
        self.dataset, self.collate_fn = loader.dataset, loader.collate_fn

    def __call__(self, indices):
        return self.collate_fn([self.dataset[i] for i in indices])


