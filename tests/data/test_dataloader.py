import numpy as np
import pytest

import sinir
from sinir.data import DataLoader, Dataset, TensorDataset, random_split


def _dataset(n=10):
    return TensorDataset(np.arange(n * 2, dtype=np.float64).reshape(n, 2), np.arange(n))


def test_three_batching_modes_are_one_switch():
    dataset = _dataset(10)
    assert [len(x) for x, _ in DataLoader(dataset, batch_size=1)] == [1] * 10        # online
    assert [len(x) for x, _ in DataLoader(dataset, batch_size=None)] == [10]         # full batch
    assert [len(x) for x, _ in DataLoader(dataset, batch_size=4)] == [4, 4, 2]       # mini-batch
    assert [len(x) for x, _ in DataLoader(dataset, batch_size=4, drop_last=True)] == [4, 4]
    assert len(DataLoader(dataset, batch_size=4)) == 3


def test_batches_are_tensors_with_float32_features_and_integer_labels():
    x, y = next(iter(DataLoader(_dataset(), batch_size=3)))
    assert isinstance(x, sinir.Tensor) and x.dtype == np.float32 and y.dtype.kind == "i"
    np.testing.assert_array_equal(y.data, [0, 1, 2])


def test_shuffle_is_seeded_and_changes_every_epoch():
    loader = DataLoader(_dataset(20), batch_size=20, shuffle=True, seed=3)
    first, second = [next(iter(loader))[1].tolist() for _ in range(2)]
    assert sorted(first) == list(range(20)) and first != second
    again = DataLoader(_dataset(20), batch_size=20, shuffle=True, seed=3)
    assert next(iter(again))[1].tolist() == first


def test_generic_dataset_is_collated():
    class Squares(Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, i):
            return np.array([i, i * i], dtype=np.float32), i

    x, y = next(iter(DataLoader(Squares(), batch_size=5)))
    assert x.shape == (5, 2) and y.tolist() == [0, 1, 2, 3, 4]


def test_random_split():
    train, test = random_split(_dataset(10), [0.8, 0.2], seed=0)
    assert len(train) == 8 and len(test) == 2
    assert sorted(np.concatenate([train.indices, test.indices]).tolist()) == list(range(10))


def test_bad_arguments():
    with pytest.raises(ValueError, match="batch_size must be a positive integer or None"):
        DataLoader(_dataset(), batch_size=0)
    with pytest.raises(ValueError, match="same length"):
        TensorDataset(np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match=r"expected a dataset \(an object with __getitem__ and __len__\), got int"):
        DataLoader(5)
