"""torch.utils.data's behaviour: duck-typed datasets, samplers, collate_fn, worker processes."""
import os
import time

import numpy as np
import pytest

import sinir
from sinir.data import (BatchSampler, ConcatDataset, DataLoader, RandomSampler, SequentialSampler, Subset,
                        TensorDataset, WeightedRandomSampler, default_collate, get_worker_info, random_split)


class Squares:
    """A dataset by duck typing: __getitem__ and __len__, no base class."""

    def __init__(self, n=10, fail_at=None):
        self.n, self.fail_at = n, fail_at

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.fail_at:
            raise KeyError(f"sample {i} is broken")
        return np.array([i, i * i], dtype=np.float32), i


def _labels(loader):
    return [int(v) for _, y in loader for v in np.asarray(y)]


def test_any_object_with_getitem_and_len_is_a_dataset():
    x, y = next(iter(DataLoader(Squares(), batch_size=4)))
    assert isinstance(x, sinir.Tensor) and tuple(x.shape) == (4, 2) and y.tolist() == [0, 1, 2, 3]
    assert len(DataLoader(Squares(), batch_size=4)) == 3


def test_default_collate_like_pytorch():
    batch = default_collate([{"image": np.zeros((2, 2)), "label": 1, "name": "a"},
                             {"image": np.ones((2, 2)), "label": 0, "name": "b"}])
    assert tuple(batch["image"].shape) == (2, 2, 2) and batch["label"].tolist() == [1, 0]
    assert batch["name"] == ["a", "b"] and batch["label"].dtype == np.int64
    with pytest.raises(ValueError, match="samples of different shapes"):
        default_collate([np.zeros(2), np.zeros(3)])


def test_samplers_batch_sampler_and_collate_fn():
    data = Squares(10)
    assert list(SequentialSampler(data)) == list(range(10))
    order = list(RandomSampler(data, generator=np.random.default_rng(0)))
    assert sorted(order) == list(range(10)) and order != list(range(10))
    assert len(list(RandomSampler(data, replacement=True, num_samples=25))) == 25
    batches = BatchSampler(SequentialSampler(data), 4, drop_last=True)
    assert list(batches) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    loader = DataLoader(data, batch_sampler=batches, collate_fn=lambda samples: [s[1] for s in samples])
    assert list(loader) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    loader = DataLoader(data, batch_size=5, sampler=list(reversed(range(10))), pin_memory=True)
    assert _labels(loader) == list(reversed(range(10)))
    with pytest.raises(ValueError, match="sampler is mutually exclusive with shuffle"):
        DataLoader(data, sampler=[0, 1], shuffle=True)
    with pytest.raises(ValueError, match="batch_sampler is mutually exclusive"):
        DataLoader(data, batch_sampler=batches, batch_size=3)


def test_weighted_random_sampler_follows_the_weights():
    sinir.manual_seed(0)
    drawn = np.array(list(WeightedRandomSampler([0.0, 1.0, 3.0], num_samples=4000)))
    assert set(drawn.tolist()) == {1, 2} and 0.70 < (drawn == 2).mean() < 0.80
    unique = list(WeightedRandomSampler([1, 1, 1, 1], num_samples=4, replacement=False))
    assert sorted(unique) == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="weights must be a 1-D sequence of finite non-negative numbers"):
        WeightedRandomSampler([1.0, -1.0], num_samples=2)


def test_subset_concat_and_random_split():
    a, b = TensorDataset(np.arange(4)), Squares(3)
    both = ConcatDataset([a, b])
    assert len(both) == 7 and both[3] == (3,) and both[4][1] == 0 and both[-1][1] == 2
    assert len(a + a) == 8
    subset = Subset(b, [2, 0])
    assert len(subset) == 2 and subset[0][1] == 2
    parts = random_split(range(10), [0.5, 0.3, 0.2], generator=np.random.default_rng(1))
    assert [len(p) for p in parts] == [5, 3, 2]
    assert sorted(int(i) for p in parts for i in p.indices) == list(range(10))
    assert [len(p) for p in random_split(range(7), [0.5, 0.5], seed=0)] == [4, 3]     # remainder first
    with pytest.raises(ValueError, match="adding up to the dataset's 10 samples"):
        random_split(range(10), [3, 3])


def _record_worker(worker_id):
    info = get_worker_info()
    assert info.id == worker_id and info.num_workers == 2


class Slow(Squares):
    def __getitem__(self, i):
        return np.array([i, os.getpid()], dtype=np.int64), i


@pytest.mark.parametrize("persistent", [False, True])
def test_workers_give_the_same_batches_in_order(persistent):
    data = Squares(23)
    single = [np.asarray(x).tolist() for x, _ in DataLoader(data, batch_size=4)]
    loader = DataLoader(data, batch_size=4, num_workers=2, worker_init_fn=_record_worker,
                        persistent_workers=persistent, prefetch_factor=3)
    for _ in range(2):                      # two epochs
        assert [np.asarray(x).tolist() for x, _ in loader] == single
    pids = {int(p) for x, _ in DataLoader(Slow(8), batch_size=2, num_workers=2) for p in np.asarray(x)[:, 1]}
    assert len(pids) == 2 and os.getpid() not in pids          # two other processes did the work
    if persistent:
        loader._persistent_iterator.shutdown()
    assert get_worker_info() is None


def test_worker_error_carries_the_worker_traceback_and_stops_the_workers():
    loader = DataLoader(Squares(12, fail_at=7), batch_size=2, num_workers=2)
    iterator = iter(loader)
    with pytest.raises(KeyError, match=r"(?s)Caught KeyError in DataLoader worker process 1.*"
                                       r"Original Traceback.*in __getitem__.*sample 7 is broken"):
        list(iterator)
    assert not any(p.is_alive() for p in iterator.processes)


def test_an_early_break_shuts_the_workers_down():
    iterator = iter(DataLoader(Squares(40), batch_size=2, num_workers=2))
    next(iterator)
    processes = iterator.processes
    del iterator
    deadline = time.monotonic() + 5
    while any(p.is_alive() for p in processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(p.is_alive() for p in processes)


def test_shuffled_workers_cover_every_sample_once():
    loader = DataLoader(TensorDataset(np.arange(30)), batch_size=7, shuffle=True, seed=1, num_workers=2)
    seen = sorted(int(v) for (x,) in loader for v in np.asarray(x))
    assert seen == list(range(30))


def test_bad_loader_arguments():
    with pytest.raises(ValueError, match="num_workers must be a non-negative integer"):
        DataLoader(Squares(), num_workers=-1)
    with pytest.raises(ValueError, match="persistent_workers needs num_workers > 0"):
        DataLoader(Squares(), persistent_workers=True)
    with pytest.raises(ValueError, match="collate_fn must be callable"):
        DataLoader(Squares(), collate_fn=3)
