"""DistributedDataParallel: the same model on every rank, each rank a different part of the batch.

Each rank computes the gradients of its own part; averaging them across ranks gives every rank
the gradient of the whole batch, so one optimizer step moves every copy of the model the same
way and the copies never drift apart. That averaging is the only communication: one all-reduce
of every gradient per step.

>>> dist.init_process_group(backend="mpi")
>>> model = DistributedDataParallel(lenet5())      # rank 0's weights are copied to every rank
>>> loss = loss_fn(model(images), labels)          # this rank's images
>>> loss.backward()
>>> model.finish_gradient_synchronization()        # the averaged gradients are in .grad
>>> optimizer.step()
"""
import contextlib
import functools
import time

import numpy as np

from ...grad_mode import is_grad_enabled
from ...ops.function import Function
from ...tensor import Tensor
from ..module import Module


class DistributedDataParallel(Module):
    """Wrap ``module`` so that ``backward`` averages its gradients over all ranks.

    At wrap time every rank checks that its model has the same parameter names, shapes and dtypes
    as rank 0's (a ValueError on every rank otherwise) and copies rank 0's parameters and buffers.

    Gradients travel in buckets of about ``bucket_cap_mb`` megabytes (see ``_Bucket``). As soon as
    backward has produced every gradient of a bucket, a non-blocking all-reduce of that bucket
    starts, so communication overlaps the rest of backward; this needs sinir's per-tensor
    gradient hooks. ``finish_gradient_synchronization()`` starts what has not started, waits for
    all, and writes the averages into ``.grad``. Call it between ``loss.backward()`` and
    ``optimizer.step()``: it is free when backward already finished the work (with
    ``register_post_accumulate_grad_hook``, when every parameter received a gradient).
    ``sync_mode`` says which way this build of sinir runs: 'post-accumulate hooks',
    'gradient hooks' or 'after backward' (no hooks: every bucket starts in finish).

    ``no_sync()`` skips the averaging (gradients accumulate locally; the first backward outside
    it averages the sum). With ``broadcast_buffers`` (the default) rank 0's buffers, such as
    BatchNorm's running statistics, are copied to every rank at each training forward; BatchNorm
    statistics are per rank (PyTorch's default) unless the model uses ``SyncBatchNorm``.

    ``state_dict()`` keys start with ``module.`` as in PyTorch; save ``model.module.state_dict()``
    to load the weights into an unwrapped model.
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True,
                 process_group=None, bucket_cap_mb=25, find_unused_parameters=False):
        super().__init__()
        from ...distributed.process_group import _comm
        if not isinstance(module, Module):
            raise ValueError(f"DistributedDataParallel: expected a Module, got {type(module).__name__}")
        if not (isinstance(bucket_cap_mb, (int, float)) and bucket_cap_mb > 0):
            raise ValueError(f"DistributedDataParallel: bucket_cap_mb must be a positive number, got {bucket_cap_mb!r}")
        if device_ids not in (None, []) or output_device is not None or dim != 0:
            raise ValueError("DistributedDataParallel: sinir runs on the CPU; leave device_ids, output_device "
                             "and dim at their defaults")
        self.module = module
        self.broadcast_buffers, self.bucket_cap_mb = bool(broadcast_buffers), bucket_cap_mb
        self.find_unused_parameters = find_unused_parameters
        # A communicator of its own: the bucket all-reduces started during backward can never be
        # matched against another collective (SyncBatchNorm's, the user's) running meanwhile.
        self.comm = _comm().Dup()
        self.world_size = self.comm.Get_size()
        _check_same_model(self.comm, module)
        self._broadcast_from_rank0(p for p in module.parameters())
        self._broadcast_from_rank0(_buffers(module))
        self.require_backward_grad_sync = True
        parameters = [p for p in module.parameters() if p.requires_grad]
        self.buckets = _make_buckets(parameters, int(bucket_cap_mb * 1024 * 1024))
        self.sync_mode = self._register_hooks(parameters)
        self.last_sync = None           # what the last finish did: buckets, how many started during
        self._in_hook = False           # backward, whether it finished there, seconds it waited
        self._syncing = False           # a forward outside no_sync() ran: its backward must be averaged
        self._backward_started = False  # and that backward has begun
        self._reset()

    # ----- wrapping ------------------------------------------------------------------------------
    def _broadcast_from_rank0(self, values):
        """Copy rank 0's ``values`` (tensors or arrays) into every rank's, in place: one broadcast
        per dtype of all of them laid end to end (ResNet-18's 60 BatchNorm buffers in one message)."""
        by_dtype = {}
        for value in values:
            storage = _storage(value)
            by_dtype.setdefault(storage.dtype, []).append(storage)
        for arrays in by_dtype.values():
            flat = np.concatenate([array.reshape(-1) for array in arrays])
            self.comm.Bcast(flat, root=0)
            offset = 0
            for array in arrays:
                array[...] = flat[offset:offset + array.size].reshape(array.shape)
                offset += array.size

    def _register_hooks(self, parameters):
        """Ask each parameter to tell us when its gradient is ready; returns the mode that runs."""
        if parameters and all(hasattr(p, "register_post_accumulate_grad_hook") for p in parameters):
            for index, parameter in enumerate(parameters):
                parameter.register_post_accumulate_grad_hook(
                    functools.partial(self._post_accumulate_hook, index))
            return "post-accumulate hooks"
        if parameters and all(hasattr(p, "register_hook") for p in parameters):
            for index, parameter in enumerate(parameters):
                parameter.register_hook(functools.partial(self._gradient_hook, index))
            return "gradient hooks"
        return "after backward"

    # ----- forward -------------------------------------------------------------------------------
    def forward(self, *inputs, **kwargs):
        if self._backward_started:
            raise RuntimeError(
                "DistributedDataParallel: the gradients of the previous backward were not averaged across "
                "ranks; call model.finish_gradient_synchronization() after loss.backward() and before "
                "optimizer.step()")
        training = self.module.training and is_grad_enabled()
        if training and self.broadcast_buffers:
            self._broadcast_from_rank0(_buffers(self.module))
        self._syncing = training and self.require_backward_grad_sync
        output = self.module(*inputs, **kwargs)
        if self._syncing:
            output = _map_tensors(output, lambda t: _BackwardStarted(self)(t) if t.requires_grad else t)
        return output

    @contextlib.contextmanager
    def no_sync(self):
        """Within this block backward does not average: gradients accumulate on each rank (for
        gradient accumulation over several batches); the first backward after it averages the sum.

        >>> with model.no_sync():
        ...     loss_fn(model(x1), y1).backward()
        >>> loss_fn(model(x2), y2).backward()     # averages the gradients of both batches
        """
        previous = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = previous

    # ----- buckets during backward -----------------------------------------------------------
    def _post_accumulate_hook(self, index, parameter):
        if self._syncing:
            self._mark_ready(index, extra=None)
            if self._next_bucket == len(self.buckets):   # the last bucket has started: finish now
                self._in_hook = True
                try:
                    self.finish_gradient_synchronization()
                finally:
                    self._in_hook = False

    def _gradient_hook(self, index, grad):
        # called before the gradient is added into .grad: the bucket gets .grad + grad
        if self._syncing:
            self._mark_ready(index, extra=grad)

    def _mark_ready(self, index, extra):
        self._backward_started = True
        bucket, slot = self._slot_of[index]
        if bucket.ready[slot]:
            raise RuntimeError("DistributedDataParallel: a parameter received two gradients in one synchronised "
                               "backward; run the extra backward passes inside model.no_sync()")
        bucket.fill(slot, extra)
        self._start_ready_buckets()
        # MPI moves a non-blocking all-reduce forward only inside MPI calls (unless the library runs a
        # progress thread): testing the started buckets at each hook keeps them going during backward
        for started in self.buckets[:self._next_bucket]:
            started.test()

    def _start_ready_buckets(self):
        """Start the buckets whose gradients are all there, in bucket order: every rank must start
        its all-reduces in the same order, or rank 0's bucket 1 would be summed with rank 1's bucket 0."""
        while self._next_bucket < len(self.buckets) and self.buckets[self._next_bucket].is_full():
            self.buckets[self._next_bucket].start(self.comm)
            self._next_bucket += 1

    def finish_gradient_synchronization(self):
        """Start every bucket not yet started (in order), wait for all, and write the averaged
        gradients into ``.grad``. Does nothing when there is nothing to average (no synchronised
        backward since the last call, or all done already)."""
        if not (self._syncing and self._backward_started):
            return
        started_during_backward = self._next_bucket
        start = time.perf_counter()
        for bucket in self.buckets[self._next_bucket:]:
            bucket.fill_missing()
        self._start_ready_buckets()
        for bucket in self.buckets:
            bucket.wait_and_write_back(self.world_size)
        self.last_sync = {"buckets": len(self.buckets), "started_during_backward": started_during_backward,
                          "finished_during_backward": self._in_hook, "seconds": time.perf_counter() - start}
        self._reset()

    def _reset(self):
        self._syncing = self._backward_started = False
        self._next_bucket = 0
        for bucket in self.buckets:
            bucket.clear()
        self._slot_of = {index: (bucket, slot) for bucket in self.buckets
                         for slot, index in enumerate(bucket.indices)}

    def extra_repr(self):
        return f"world_size={self.world_size}, buckets={len(self.buckets)}, sync_mode={self.sync_mode!r}"


class _Bucket:
    """Gradients of several parameters laid end to end in one flat buffer, all-reduced at once.

    One all-reduce per parameter would pay the network's latency once per tensor (LeNet-5 has 10,
    ResNet-50 161); one all-reduce of everything could start only after the whole backward. A
    bucket of about ``bucket_cap_mb`` MB is the middle way: parameters are grouped in reverse
    order (the order in which backward produces their gradients, last layer first), so the first
    bucket is full, and its all-reduce under way, while backward still works on earlier layers.

    The buffer is summed in place across ranks (MPI reads and writes it without a copy), divided
    by the world size, and each parameter's slice is copied back into its ``.grad``.
    """

    def __init__(self, parameters, indices):
        self.parameters, self.indices = parameters, indices
        sizes = [p.numel() for p in parameters]
        self.offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(int)
        self.buffer = np.zeros(int(self.offsets[-1]), dtype=parameters[0].dtype)
        self.ready = [False] * len(parameters)
        self.request = None

    def clear(self):
        self.ready = [False] * len(self.parameters)
        self.request = None

    def fill(self, slot, extra=None):
        """Copy parameter ``slot``'s gradient (plus ``extra``, a gradient not yet added to it) in."""
        parameter, part = self.parameters[slot], self.buffer[self.offsets[slot]:self.offsets[slot + 1]]
        part[...] = 0 if parameter.grad is None else np.asarray(parameter.grad).reshape(-1)
        if extra is not None:
            part += np.asarray(extra).reshape(-1)
        self.ready[slot] = True

    def fill_missing(self):
        for slot, ready in enumerate(self.ready):
            if not ready:
                self.fill(slot)

    def is_full(self):
        return all(self.ready)

    def start(self, comm):
        from ...distributed.process_group import _mpi
        MPI = _mpi()
        self.request = comm.Iallreduce(MPI.IN_PLACE, self.buffer, op=MPI.SUM)

    def test(self):
        if self.request is not None:
            self.request.Test()

    def wait_and_write_back(self, world_size):
        self.request.Wait()
        self.buffer /= world_size                          # the sum over ranks -> the mean
        for slot, parameter in enumerate(self.parameters):
            average = self.buffer[self.offsets[slot]:self.offsets[slot + 1]].reshape(parameter.shape)
            if parameter.grad is None:
                parameter.grad = _new_grad(average.copy())
            else:
                np.asarray(parameter.grad)[...] = average


def _make_buckets(parameters, cap_bytes):
    """Group ``parameters`` (indices into the list kept) in reverse order into buckets of at most
    ``cap_bytes`` (a larger parameter gets a bucket of its own) and one dtype each."""
    buckets, current, size = [], [], 0
    for index in reversed(range(len(parameters))):
        parameter = parameters[index]
        nbytes = parameter.numel() * parameter.dtype.itemsize
        if current and (size + nbytes > cap_bytes or parameter.dtype != parameters[current[0]].dtype):
            buckets.append(current)
            current, size = [], 0
        current.append(index)
        size += nbytes
    if current:
        buckets.append(current)
    return [_Bucket([parameters[i] for i in indices], indices) for indices in buckets]


class _BackwardStarted(Function):
    """The identity on the model's output; its backward, the first step of ``loss.backward()``,
    records that a synchronised backward has begun (so that a forgotten finish is caught)."""

    def __init__(self, ddp):
        self.ddp = ddp

    def forward(self, x):
        return x

    def backward(self, grad):
        self.ddp._backward_started = True
        return (grad,)                                      # dE/dx = dE/dy


def _check_same_model(comm, module):
    """Raise the same ValueError on every rank if any rank's parameters or buffers differ from
    rank 0's in name, shape or dtype (every rank takes part, so none is left waiting)."""
    mine = [(f"parameter {name!r}", tuple(p.shape), str(p.dtype)) for name, p in module.named_parameters()]
    mine += [(f"buffer {name!r}", tuple(np.shape(b)), str(np.asarray(b).dtype)) for name, b in module.named_buffers()]
    everyone = comm.allgather(mine)
    reference = everyone[0]
    for rank, theirs in enumerate(everyone[1:], start=1):
        if theirs == reference:
            continue
        for (name0, shape0, dtype0), (name, shape, dtype) in zip(reference, theirs):
            if (name0, shape0, dtype0) != (name, shape, dtype):
                raise ValueError(
                    f"DistributedDataParallel: rank {rank}'s model differs from rank 0's: {name} with shape "
                    f"{shape} and dtype {dtype} on rank {rank}, {name0} with shape {shape0} and dtype {dtype0} "
                    "on rank 0 (every rank must build the same model)")
        raise ValueError(f"DistributedDataParallel: rank {rank}'s model has {len(theirs)} parameters and buffers, "
                         f"rank 0's has {len(reference)} (every rank must build the same model)")


def _buffers(module):
    return [b for b in module.buffers() if b is not None]


def _storage(value):
    """The ndarray that holds a Tensor's (or an ndarray buffer's) values, not a copy."""
    return value.detach().numpy() if isinstance(value, Tensor) else np.asarray(value)


def _map_tensors(output, fn):
    if isinstance(output, Tensor):
        return fn(output)
    if isinstance(output, tuple) and hasattr(output, "_fields"):      # a named tuple
        return type(output)(*(_map_tensors(o, fn) for o in output))
    if isinstance(output, (list, tuple)):
        return type(output)(_map_tensors(o, fn) for o in output)
    if isinstance(output, dict):
        return {k: _map_tensors(v, fn) for k, v in output.items()}
    return output


@functools.lru_cache(maxsize=None)
def _grads_are_tensors():
    """Whether this build of sinir keeps ``.grad`` as a Tensor (PyTorch's way) or as an ndarray."""
    probe = Tensor(np.zeros(1), requires_grad=True, dtype=np.float64)
    (probe * 1.0).sum().backward()
    return isinstance(probe.grad, Tensor)


def _new_grad(array):
    return Tensor(array, dtype=array.dtype) if _grads_are_tensors() else array
