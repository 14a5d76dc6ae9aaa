"""DistributedSampler against torch.utils.data.DistributedSampler (no MPI needed: rank and size given)."""
import itertools

import pytest

from sinir.distributed import DistributedSampler

CASES = list(itertools.product((1, 7, 10, 64, 101), (1, 2, 3, 4, 8), (False, True)))


@pytest.mark.parametrize("length, world, drop_last", CASES)
def test_unshuffled_shares_equal_pytorch(length, world, drop_last):
    torch_data = pytest.importorskip("torch.utils.data")
    for rank in range(world):
        ours = DistributedSampler(range(length), num_replicas=world, rank=rank, shuffle=False, drop_last=drop_last)
        theirs = torch_data.DistributedSampler(range(length), num_replicas=world, rank=rank, shuffle=False,
                                               drop_last=drop_last)
        assert list(ours) == list(theirs)
        assert len(ours) == len(theirs) == len(list(ours))


@pytest.mark.parametrize("length, world, drop_last", CASES)
def test_shuffled_shares_are_disjoint_cover_the_data_and_have_pytorchs_lengths(length, world, drop_last):
    torch_data = pytest.importorskip("torch.utils.data")
    shares = [list(DistributedSampler(range(length), num_replicas=world, rank=rank, shuffle=True, seed=3,
                                      drop_last=drop_last)) for rank in range(world)]
    lengths = [len(torch_data.DistributedSampler(range(length), num_replicas=world, rank=rank, shuffle=True,
                                                 drop_last=drop_last)) for rank in range(world)]
    assert [len(share) for share in shares] == lengths
    everything = [i for share in shares for i in share]
    if drop_last:       # no index twice, only the tail (fewer than world) left out
        assert len(set(everything)) == len(everything) > length - world
    else:               # every index, and only the padding repeated
        assert set(everything) == set(range(length))
        assert len(everything) - len(set(everything)) == len(everything) - length
    assert all(0 <= i < length for i in everything)


def test_set_epoch_changes_the_order_deterministically_and_the_same_on_every_rank():
    def order(epoch, seed=0):
        shares = []
        for rank in range(2):
            sampler = DistributedSampler(range(100), num_replicas=2, rank=rank, seed=seed)
            sampler.set_epoch(epoch)
            shares.append(list(sampler))
        return shares

    assert order(1) == order(1)
    assert order(1) != order(2)
    assert order(1, seed=5) != order(1, seed=0)
    assert sorted(order(4)[0] + order(4)[1]) == list(range(100))
    # without set_epoch every epoch would repeat epoch 0's order
    sampler = DistributedSampler(range(100), num_replicas=2, rank=0)
    assert list(sampler) == list(sampler) == order(0)[0]


def test_two_ranks_batches_of_b_are_one_rank_batch_of_2b():
    """The interleaved split puts global positions 2kB .. 2kB + 2B - 1 into the k-th batches of the
    two ranks: what makes N ranks x batch B train as 1 process x batch NB."""
    one = list(DistributedSampler(range(96), num_replicas=1, rank=0, seed=1))
    two = [list(DistributedSampler(range(96), num_replicas=2, rank=r, seed=1)) for r in range(2)]
    for k in range(3):
        assert sorted(two[0][16 * k:16 * k + 16] + two[1][16 * k:16 * k + 16]) == sorted(one[32 * k:32 * k + 32])


def test_bad_arguments():
    with pytest.raises(ValueError, match=r"Invalid rank 2, rank should be in the interval \[0, 1\]"):
        DistributedSampler(range(10), num_replicas=2, rank=2)
    with pytest.raises(ValueError, match="num_replicas"):
        DistributedSampler(range(10), num_replicas=0, rank=0)
    with pytest.raises(RuntimeError, match="init_process_group"):
        DistributedSampler(range(10))


def test_a_dataloader_batches_the_ranks_share_in_the_samplers_order():
    import numpy as np
    from sinir.data import DataLoader, Sampler, TensorDataset
    dataset = TensorDataset(np.arange(50) * 10)
    sampler = DistributedSampler(dataset, num_replicas=3, rank=1, seed=2)
    assert isinstance(sampler, Sampler)
    sampler.set_epoch(1)
    batches = [x.numpy() for (x,) in DataLoader(dataset, batch_size=4, sampler=sampler)]
    assert np.concatenate(batches).tolist() == [10 * i for i in sampler]
    assert [len(b) for b in batches] == [4, 4, 4, 4, 1]
