"""sinir/distributed/ranks.py, the ranks' side of ``sinir train``, in one process (no MPI): a fake
group stands for the other ranks. test_dist_train_cli.py runs the same code under mpiexec."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from sinir.data import DataLoader
from sinir.distributed.ranks import Ranks, one_line, per_rank_batch_size
from sinir.experiment import ConfigError
from tests.distributed.dist_launch import ROOT


class FakeGroup:
    """The collectives Ranks uses, as if the other ranks had said ``others`` (rank -> message)."""

    def __init__(self, rank, others, rank_zero_share=None):
        self.rank, self.others, self.rank_zero_share = rank, others, rank_zero_share

    def all_gather_object(self, messages, mine):
        for rank in range(len(messages)):
            messages[rank] = mine if rank == self.rank else self.others.get(rank)

    def broadcast_object_list(self, shared, src=0):
        if self.rank != src:
            shared[:] = self.rank_zero_share


def ranks_of(rank, size, group):
    ranks = Ranks()
    ranks.distributed, ranks.rank, ranks.size, ranks.dist = True, rank, size, group
    return ranks


def test_alone_every_step_is_the_plain_one():
    ranks = Ranks()
    assert (ranks.rank, ranks.size, ranks.distributed, ranks.blas) == (0, 1, False, None)
    assert ranks.agree(lambda: 5) == 5 and ranks.on_rank_zero(lambda: 6) == 6
    data, model = list(range(10)), object()
    assert ranks.shard(data) is data and ranks.shard(None) is None and ranks.wrap(model) is model
    with pytest.raises(FileNotFoundError):
        ranks.agree(lambda: open("/nonexistent/file"))             # raised as it is, nothing gathered


def test_the_loader_alone_is_the_shuffled_loader_of_the_global_batch():
    data = np.arange(20)
    ours = [batch.tolist() for batch in Ranks().training_loader(data, 8, None, seed=3)]
    expected = [batch.tolist() for batch in DataLoader(data, batch_size=8, shuffle=True, seed=3)]
    assert ours == expected and sorted(sum(ours, [])) == list(range(20))


def test_two_ranks_load_disjoint_shares_of_every_global_batch():
    data = np.arange(16)
    shares = [[batch.tolist() for batch in ranks_of(rank, 2, None).training_loader(data, 8, 4, seed=1)]
              for rank in range(2)]
    assert [len(batch) for share in shares for batch in share] == [4] * 4
    assert sorted(sum(shares[0] + shares[1], [])) == list(range(16))


def test_shard_gives_every_size_th_item_from_the_rank_on():
    assert list(ranks_of(1, 3, None).shard(list(range(10)))) == [1, 4, 7]


def test_the_same_mistake_on_every_rank_is_raised_as_one_process_would():
    ranks = ranks_of(0, 2, FakeGroup(0, {1: "--epochs must be >= 1, got 0"}))

    def step():
        raise ConfigError("--epochs must be >= 1, got 0")

    with pytest.raises(ConfigError, match=r"^--epochs must be >= 1, got 0$"):
        ranks.agree(step)


def test_a_mistake_one_rank_met_names_that_rank_on_every_rank():
    ranks = ranks_of(0, 2, FakeGroup(0, {1: "/data/mnist: no such folder"}))
    with pytest.raises(ConfigError, match=r"^rank 1 of 2: /data/mnist: no such folder$"):
        ranks.agree(lambda: "fine here")
    assert ranks_of(0, 2, FakeGroup(0, {})).agree(lambda: "fine") == "fine"


def test_rank_zero_shares_its_result_or_its_error():
    assert ranks_of(1, 2, FakeGroup(1, {}, rank_zero_share=["runs/mlp-2", None])).on_rank_zero(None) == "runs/mlp-2"
    told = ranks_of(1, 2, FakeGroup(1, {}, rank_zero_share=[None, "runs: Permission denied"]))
    with pytest.raises(ConfigError, match="^runs: Permission denied$"):
        told.on_rank_zero(lambda: pytest.fail("only rank 0 runs the step"))


def test_per_rank_batch_size_divides_the_global_batch_or_says_why_not():
    assert per_rank_batch_size(256, 4) == (64, "per-rank batch 64 (--batch-size / ranks) x 4 ranks = global batch 256")
    assert per_rank_batch_size(256, 4, 16) == (16, "per-rank batch 16 (--per-rank-batch) x 4 ranks = global batch 64")
    with pytest.raises(ConfigError, match=r"^--batch-size 63 does not divide among 2 ranks: give a multiple of 2, "
                                          r"or --per-rank-batch$"):
        per_rank_batch_size(63, 2)


def test_one_line_names_the_file_of_an_os_error_and_joins_lines():
    assert one_line(FileNotFoundError(2, "No such file or directory", "/data/x")) == "/data/x: No such file or directory"
    assert one_line(ValueError("first\n  second")) == "first second"
    assert one_line(KeyError()) == "KeyError"


def test_the_experiment_and_its_ranks_import_without_mpi4py():
    code = textwrap.dedent("""
        import sys

        class NoMPI:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "mpi4py":
                    raise ImportError("mpi4py is blocked")

        sys.meta_path.insert(0, NoMPI())
        import sinir.experiment
        from sinir.distributed.ranks import Ranks
        assert Ranks().size == 1 and "mpi4py" not in sys.modules
        print("imported")
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode == 0 and result.stdout.strip() == "imported", result.stderr[-2000:]
